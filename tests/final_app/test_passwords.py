"""Password work is bounded: a flood of logins waits its turn instead of filling memory."""

from __future__ import annotations

import asyncio
import threading
import time
from pathlib import Path

import httpx2
import pytest

from benchmarks import harness
from final_app.security import Passwords, check_password, hash_password
from tests.final_app.conftest import TEST_SECRET_KEY

MiB = 1024 * 1024


def test_at_most_password_threads_checks_run_at_once(monkeypatch: pytest.MonkeyPatch) -> None:
    running = most = 0
    lock = threading.Lock()

    def counted_check(password: str, password_hash: str) -> tuple[bool, str | None]:
        nonlocal running, most
        with lock:
            running += 1
            most = max(most, running)
        time.sleep(0.02)
        with lock:
            running -= 1
        return check_password(password, password_hash)

    passwords = Passwords(at_once=2)
    stored = hash_password("right")
    monkeypatch.setattr("final_app.security.check_password", counted_check)

    async def ten_at_once() -> list[tuple[bool, str | None]]:
        return await asyncio.gather(*(passwords.check("wrong", stored) for _ in range(10)))

    assert asyncio.run(ten_at_once()) == [(False, None)] * 10
    assert most == 2


def peak_memory(pid: int) -> int:
    """The process's peak resident memory (VmHWM), in bytes."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) * 1024
    raise AssertionError("no VmHWM in /proc/<pid>/status")


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
def test_40_concurrent_logins_keep_the_process_under_200_mib(database_url: str) -> None:
    """Unbounded, at pwdlib's default cost, this took a process from 81 to 2,300 MiB."""
    env = {"REPAIRDESK_DATABASE_URL": database_url, "REPAIRDESK_SECRET_KEY": TEST_SECRET_KEY}
    with harness.serve("final_app.main:app", env=env, ready_path="/health/ready") as server:
        statuses = asyncio.run(forty_wrong_logins(server.base_url))
        peak = peak_memory(server.process.pid)
    assert statuses == [400] * 40  # forty distinct emails: none of them throttled
    assert peak < 200 * MiB, f"peak {peak / MiB:.0f} MiB"
