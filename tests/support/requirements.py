"""What a test needs from the machine: skipped where it is missing, required on CI.

A learner's laptop may lack Chromium, a container engine, PostgreSQL or wrk: the tests that
need one skip and say how to get it. CI (`CI=true`) promises every one of them, so there a
missing requirement fails the run instead of hiding a check behind a skip.
"""

import os

import pytest


def require(ok: bool, reason: str) -> None:
    """Skip with `reason` unless `ok`; under CI=true, fail instead."""
    __tracebackhide__ = True  # pytest reports the caller's line, not this one
    if ok:
        return
    if os.environ.get("CI") == "true":
        pytest.fail(f"CI=true, so this must run: {reason}", pytrace=False)
    pytest.skip(reason)
