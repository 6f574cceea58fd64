"""A real server under bursts of wrong logins: Argon2's memory stays bounded.

Each Argon2 check fills a 19 MiB buffer, and the allocator keeps it, once freed, for the next
check on the same thread. A limit of 2 checks at once did not bound that: on the threadpool,
the checks of these bursts ran on any of its 40 threads, and each one kept a buffer. On
`password_threads` threads of their own, only those do.
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
from lessons.lesson_08_security.security import ARGON2_MEMORY_KIB
from tests.lessons.lesson_08_security.conftest import SECRET_KEY
from tests.support.memory import assert_peak_under_argon2_ceiling, memory

LOGINS = 40  # as many as FastAPI's threadpool runs at once
THREADS = 2  # the Argon2 threads (REPAIRDESK_PASSWORD_THREADS)


def wrong_login(url: str, number: int) -> int:
    # A different email each: the throttle would stop a burst on one account early.
    form = urlencode(
        {"username": f"user-{number}@example.com", "password": "a wrong password"}
    ).encode()
    try:
        with urlopen(url, data=form, timeout=60) as response:  # noqa: S310 (a local URL)
            return int(response.status)
    except HTTPError as error:
        return error.code


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc/<pid>/status")
def test_two_bursts_of_40_wrong_logins_stay_under_the_argon2_ceiling(
    migrated_database: Path, tmp_path: Path
) -> None:
    database = shutil.copy(migrated_database, tmp_path / "repairdesk.db")
    env = {
        "REPAIRDESK_DATABASE_URL": f"sqlite:///{database}",
        "REPAIRDESK_SECRET_KEY": SECRET_KEY,
        "REPAIRDESK_PASSWORD_THREADS": str(THREADS),
    }
    with harness.serve("lessons.lesson_08_security.app:app", env=env) as server:
        baseline = memory(server.process.pid, "VmRSS")
        url = server.url("/auth/token")
        statuses: list[int] = []
        # Two bursts: the first leaves each thread its buffer; the second must find it there.
        for burst in range(2):
            with ThreadPoolExecutor(LOGINS) as pool:
                numbers = range(burst * LOGINS, (burst + 1) * LOGINS)
                statuses += pool.map(lambda number: wrong_login(url, number), numbers)
        assert statuses == [400] * 2 * LOGINS
        pid, buffer = server.process.pid, ARGON2_MEMORY_KIB * 1024
        assert_peak_under_argon2_ceiling(pid, baseline, threads=THREADS, buffer=buffer)
