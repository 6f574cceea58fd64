"""The database's threads: a bounded few, one connection each, never held by slow hashing."""

from __future__ import annotations

import asyncio
import threading
import time
from collections.abc import Callable
from typing import Any

import httpx2
import pytest
from sqlalchemy.orm import Session
from sqlalchemy.pool import QueuePool

from final_app.config import Settings
from final_app.db import Database
from final_app.main import create_app
from final_app.security import check_password, hash_password
from tests.final_app.conftest import PASSWORD, TECHNICIAN_EMAIL
from tests.support.asgi import started_client

WAIT = 5.0  # seconds; the calls below take milliseconds unless something holds them up


def test_database_runs_at_most_its_threads_calls_at_once(database_url: str) -> None:
    database = Database(database_url, threads=2)
    running = 0
    most = 0
    lock = threading.Lock()

    def slow_query(session: Session) -> None:
        nonlocal running, most
        with lock:
            running += 1
            most = max(most, running)
        session.connection()  # holds a connection, as a real query does
        time.sleep(0.05)
        with lock:
            running -= 1

    async def six_at_once() -> None:
        await asyncio.gather(*(database.run(slow_query) for _ in range(6)))

    try:
        asyncio.run(six_at_once())
        assert most == 2
        pool = database.engine.pool
        assert isinstance(pool, QueuePool)
        assert (pool.size(), pool.checkedout()) == (2, 0)  # one connection per thread, all back
    finally:
        database.dispose()


class Gate:
    """Blocks a slow function until released, and says when it has started."""

    def __init__(self) -> None:
        self.started = threading.Event()
        self.released = threading.Event()

    def hold(self, slow: Callable[..., Any]) -> Callable[..., Any]:
        def held(*args: Any) -> Any:
            self.started.set()
            self.released.wait(WAIT)
            return slow(*args)

        return held


async def read_during(
    slow_request: Callable[[httpx2.AsyncClient], Any],
    gate: Gate,
    settings: Settings,
    headers: dict[str, str],
) -> tuple[int, int]:
    """Start `slow_request`, and while its password work is held, make a database read.

    With one database thread, the read answers only if the held work is not in that thread.
    """
    async with started_client(create_app(settings)) as client:
        slow = asyncio.create_task(slow_request(client))
        assert await asyncio.to_thread(gate.started.wait, WAIT)
        try:
            read = await asyncio.wait_for(client.get("/api/v1/users/me", headers=headers), WAIT)
        finally:
            gate.released.set()
        return read.status_code, (await slow).status_code


@pytest.fixture
def one_thread(settings: Settings) -> Settings:
    return settings.model_copy(update={"db_threads": 1})


def test_a_password_check_holds_no_database_thread(
    one_thread: Settings, tech_headers: dict[str, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    gate = Gate()
    monkeypatch.setattr("final_app.security.check_password", gate.hold(check_password))

    async def log_in(client: httpx2.AsyncClient) -> httpx2.Response:
        form = {"username": TECHNICIAN_EMAIL, "password": PASSWORD}
        return await client.post("/api/v1/auth/token", data=form)

    assert asyncio.run(read_during(log_in, gate, one_thread, tech_headers)) == (200, 200)


def test_hashing_a_new_users_password_holds_no_database_thread(
    one_thread: Settings, admin_headers: dict[str, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    gate = Gate()
    monkeypatch.setattr("final_app.security.hash_password", gate.hold(hash_password))

    async def create_user(client: httpx2.AsyncClient) -> httpx2.Response:
        user = {"email": "new@example.com", "password": PASSWORD, "role": "technician"}
        return await client.post("/api/v1/users", json=user, headers=admin_headers)

    assert asyncio.run(read_during(create_user, gate, one_thread, admin_headers)) == (200, 201)
