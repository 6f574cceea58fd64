"""Password work is bounded: a flood of logins waits its turn instead of filling memory.

It runs on threads of its own: glibc keeps each freed Argon2 buffer (19 MiB) in the arena of the
thread that used it, so each thread that ever ran a check would keep one.
"""

from __future__ import annotations

import asyncio
import threading
import time
from collections.abc import Callable
from pathlib import Path

import httpx2
import pytest

from benchmarks import harness
from final_app.security import ARGON2_MEMORY_KIB, Passwords, check_password, hash_password
from tests.final_app.conftest import TEST_SECRET_KEY
from tests.support.memory import assert_peak_under_argon2_ceiling, memory

THREADS = 2  # REPAIRDESK_PASSWORD_THREADS
WAIT = 5.0  # seconds; a check takes milliseconds unless a test holds it


def test_at_most_password_threads_checks_run_at_once(monkeypatch: pytest.MonkeyPatch) -> None:
    running = most = 0
    lock = threading.Lock()
    full, released = threading.Event(), threading.Event()

    def held_check(password: str, password_hash: str) -> tuple[bool, str | None]:
        nonlocal running, most
        with lock:
            running += 1
            most = max(most, running)
            if running == THREADS:
                full.set()
        released.wait(WAIT)  # holds its thread: the other checks can only wait or take another
        with lock:
            running -= 1
        return check_password(password, password_hash)

    passwords = Passwords(at_once=THREADS)
    stored = hash_password("right")
    monkeypatch.setattr("final_app.security.check_password", held_check)

    async def ten_at_once() -> list[tuple[bool, str | None]]:
        checks = asyncio.gather(*(passwords.check("wrong", stored) for _ in range(10)))
        assert await asyncio.to_thread(full.wait, WAIT)
        await asyncio.sleep(0.05)  # time enough for a check too many to start, if one could
        released.set()
        return await checks

    assert asyncio.run(ten_at_once()) == [(False, None)] * 10
    passwords.close()
    assert most == THREADS


def test_hashes_and_checks_run_on_threads_of_their_own_and_no_others(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    names: set[str] = set()

    def named(work: Callable[..., object]) -> Callable[..., object]:
        def run(*args: str) -> object:
            names.add(threading.current_thread().name)
            time.sleep(0.02)  # every call arrives while the first ones run
            return work(*args)

        return run

    passwords = Passwords(at_once=THREADS)
    monkeypatch.setattr("final_app.security.check_password", named(check_password))
    monkeypatch.setattr("final_app.security.hash_password", named(hash_password))

    async def work() -> None:
        await asyncio.gather(
            *(passwords.check("wrong", None) for _ in range(5)),
            *(passwords.hash("a new password") for _ in range(5)),
        )

    asyncio.run(work())
    passwords.close()
    assert names <= {f"argon2_{i}" for i in range(THREADS)}
    assert names  # not vacuously


async def forty_wrong_logins(base_url: str) -> list[int]:
    limits = httpx2.Limits(max_connections=40)
    async with httpx2.AsyncClient(base_url=base_url, limits=limits, timeout=120) as client:
        responses = await asyncio.gather(
            *(
                client.post(
                    "/api/v1/auth/token",
                    data={"username": f"nobody{i}@example.com", "password": "wrong"},
                )
                for i in range(40)
            )
        )
    return [response.status_code for response in responses]


@pytest.mark.skipif(not Path("/proc/self/status").exists(), reason="reads /proc (Linux only)")
def test_40_concurrent_logins_stay_under_the_argon2_ceiling(database_url: str) -> None:
    """Unbounded, at pwdlib's default cost, this took a process from 81 to 2,300 MiB; with a
    limit of 2 on anyio's shared threads, a buffer stayed on each that ever ran a check."""
    env = {
        "REPAIRDESK_DATABASE_URL": database_url,
        "REPAIRDESK_SECRET_KEY": TEST_SECRET_KEY,
        "REPAIRDESK_PASSWORD_THREADS": str(THREADS),
    }
    with harness.serve("final_app.main:app", env=env, ready_path="/health/ready") as server:
        baseline = memory(server.process.pid, "VmRSS")
        statuses = asyncio.run(forty_wrong_logins(server.base_url))
        assert statuses == [400] * 40  # forty distinct emails: none of them throttled
        pid, buffer = server.process.pid, ARGON2_MEMORY_KIB * 1024
        assert_peak_under_argon2_ceiling(pid, baseline, threads=THREADS, buffer=buffer)
