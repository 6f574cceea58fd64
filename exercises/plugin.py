"""A pytest plugin that records, per check, whether it passed and what is wrong in plain words.

The runner loads it with `-p exercises.plugin --exercise-results=FILE`; it writes one JSON
record per test. Checks say what is wrong in their assertion messages; this plugin keeps the
message and drops pytest's introspection, which speaks to programmers, not to learners.
"""

from __future__ import annotations

import json
import re
from collections.abc import Generator
from pathlib import Path
from typing import Any

import pytest

from .loading import ExerciseLoadError

RESULTS: list[dict[str, Any]] = []


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption("--exercise-results", help="write each check's outcome to this JSON file")


def explain(excinfo: pytest.ExceptionInfo[BaseException]) -> str:
    """The first thing a learner should fix, in a sentence."""
    error = excinfo.value
    if isinstance(error, ExerciseLoadError):
        return str(error)
    if isinstance(error, AssertionError):
        message = str(error).split("\nassert ")[0].strip()
        if message and not message.startswith("assert "):
            return message
        return f"a check failed: {message.splitlines()[0] if message else 'assert'}"
    if isinstance(error, NotImplementedError):
        return f"still to do: {error}" if str(error) else "still to do (NotImplementedError)"
    where = ""
    for entry in reversed(excinfo.traceback):
        path = Path(str(entry.path))
        if path.name.startswith("ex_") or path.parent.name.startswith("ex_"):
            where = f" (in {path.name}, line {entry.lineno + 1})"
            break
    message = re.split(r"\s*\[SQL: ", str(error))[0]  # SQLAlchemy appends the statement
    if len(message) > 300:
        message = message[:300] + "..."
    return f"{type(error).__name__}: {message}{where}"


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(
    item: pytest.Item, call: pytest.CallInfo[None]
) -> Generator[None, pytest.TestReport, pytest.TestReport]:
    report = yield
    if report.failed and call.excinfo is not None:
        report.user_properties.append(("explanation", explain(call.excinfo)))
    return report


def pytest_runtest_logreport(report: pytest.TestReport) -> None:
    if report.when == "call" or report.failed or report.skipped:
        RESULTS.append(
            {
                "check": report.fspath,
                "test": report.nodeid,
                "outcome": report.outcome,
                "explanation": dict(report.user_properties).get("explanation", ""),
            }
        )


def pytest_collectreport(report: pytest.CollectReport) -> None:
    if report.failed:
        RESULTS.append(
            {
                "check": report.fspath,
                "test": report.nodeid,
                "outcome": "failed",
                "explanation": f"the check itself does not import: {report.longreprtext[-300:]}",
            }
        )


def pytest_sessionfinish(session: pytest.Session) -> None:
    target = session.config.getoption("--exercise-results")
    if target:
        Path(target).write_text(json.dumps(RESULTS, indent=1))
