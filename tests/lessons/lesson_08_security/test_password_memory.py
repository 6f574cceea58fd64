"""A real server under a burst of wrong logins: Argon2's memory stays bounded.

Each Argon2 hash or check holds its memory cost (19 MiB here) while it runs. Without a limit of
their own, 40 logins at once (FastAPI's threadpool size) would hold 40 times that.
"""

import shutil
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from urllib.error import HTTPError
from urllib.parse import urlencode
from urllib.request import urlopen

import pytest

from benchmarks import harness
from tests.lessons.lesson_08_security.conftest import SECRET_KEY

LOGINS = 40  # as many as FastAPI's threadpool runs at once
MIB = 1024 * 1024


def peak_memory(pid: int) -> int:
    """The process's peak resident memory so far, in bytes (Linux's VmHWM, "high water mark")."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) * 1024  # reported in kB
    raise AssertionError("no VmHWM in /proc/<pid>/status")


def wrong_login(url: str, number: int) -> int:
    # A different username each: the throttle would stop a burst on one account early.
    form = urlencode({"username": f"user-{number}", "password": "a wrong password"}).encode()
    try:
        with urlopen(url, data=form, timeout=60) as response:  # noqa: S310 (a local URL)
            return int(response.status)
    except HTTPError as error:
        return error.code


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc/<pid>/status")
def test_forty_concurrent_wrong_logins_stay_within_a_few_hundred_mib(
    migrated_database: Path, tmp_path: Path
) -> None:
    database = shutil.copy(migrated_database, tmp_path / "repairdesk.db")
    env = {"REPAIRDESK_DATABASE_URL": f"sqlite:///{database}", "REPAIRDESK_SECRET_KEY": SECRET_KEY}
    with harness.serve("lessons.lesson_08_security.app:app", env=env) as server:
        with ThreadPoolExecutor(LOGINS) as pool:
            url = server.url("/auth/token")
            statuses = list(pool.map(lambda number: wrong_login(url, number), range(LOGINS)))
        peak = peak_memory(server.process.pid)
    assert statuses == [400] * LOGINS
    assert peak < 250 * MIB, f"peak RSS {peak / MIB:.0f} MiB"
