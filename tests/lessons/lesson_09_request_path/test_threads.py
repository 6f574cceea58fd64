"""Decision 1, a sized threadpool: at most `db_threads` units of work at once, one connection each.

The other requests wait on the event loop for a thread, holding neither a thread nor a
connection, so the pool never runs dry: no request ever waits for a connection, and none
times out waiting for one, however many arrive at once.
"""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Callable
from typing import Any

import pytest
from fastapi import FastAPI
from sqlalchemy import event
from sqlalchemy.pool import QueuePool

from lessons.lesson_09_request_path.config import Settings
from lessons.lesson_09_request_path.db import Database
from lessons.lesson_09_request_path.main import create_app
from lessons.lesson_09_request_path.security import check_password
from lessons.lesson_09_request_path.services import tickets as ticket_service
from tests.lessons.lesson_09_request_path.conftest import (
    PASSWORD,
    TECHNICIAN_EMAIL,
    TOKEN_URL,
    WAIT,
    Headers,
    HeldWork,
    until,
)
from tests.support.api_v1 import TICKETS
from tests.support.asgi import started_client


def test_two_database_threads_by_default_each_with_its_own_connection(
    settings: Settings, app: FastAPI
) -> None:
    assert Settings().db_threads == 2
    database: Database = app.state.database
    pool = database.engine.pool
    assert isinstance(pool, QueuePool)
    assert database.threads.total_tokens == settings.db_threads == 2
    assert pool.size() == settings.db_threads
    assert pool._max_overflow == 0  # no connection beyond the threads' own


@pytest.mark.parametrize("threads", [1, 3])
def test_at_most_db_threads_units_of_work_run_at_once_and_the_rest_hold_nothing(
    settings: Settings,
    ticket: dict[str, Any],
    tech_headers: Headers,
    monkeypatch: pytest.MonkeyPatch,
    threads: int,
) -> None:
    app = create_app(settings.model_copy(update={"db_threads": threads}))
    database: Database = app.state.database
    pool = database.engine.pool
    assert isinstance(pool, QueuePool)
    held = HeldWork()
    monkeypatch.setattr(ticket_service, "read_ticket", held.hold(ticket_service.read_ticket))
    requests = 3 * threads
    path = f"{TICKETS}/{ticket['id']}"

    async def scenario() -> list[int]:
        async with started_client(app) as client:
            sent = [
                asyncio.create_task(client.get(path, headers=tech_headers)) for _ in range(requests)
            ]
            try:
                # Settled: every request is either in a unit of work or waiting for a thread.
                waiting = database.threads.statistics
                await until(
                    lambda: held.running + waiting().tasks_waiting == requests,
                    "all in a unit of work or waiting",
                )
                assert held.running == threads
                # The waiting requests hold no connection: only the running units have one.
                assert pool.checkedout() == threads
            finally:
                held.released.set()
            return [response.status_code for response in await asyncio.gather(*sent)]

    assert asyncio.run(scenario()) == [200] * requests
    assert held.most == threads


def test_50_requests_at_once_never_wait_for_a_connection(
    settings: Settings,
    ticket: dict[str, Any],
    tech_headers: Headers,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """50 reads at once, each holding its connection until another unit of work runs beside
    it. With a pool timeout of one second instead of 30, a request that waited for a
    connection would fail the test at once."""
    app = create_app(settings)
    database: Database = app.state.database
    pool = database.engine.pool
    assert isinstance(pool, QueuePool)
    pool._timeout = 1.0  # the lesson keeps SQLAlchemy's 30 s

    threads = settings.db_threads
    side_by_side = threading.Barrier(threads, timeout=WAIT)
    in_work = most_in_work = connections_opened = 0
    lock = threading.Lock()
    run_sync = database.run_sync

    def counted_run_sync(work: Callable[..., Any], /, *args: Any, **kwargs: Any) -> Any:
        nonlocal in_work, most_in_work
        with lock:
            in_work += 1
            most_in_work = max(most_in_work, in_work)
        try:
            return run_sync(work, *args, **kwargs)
        finally:
            with lock:
                in_work -= 1

    def meet_another_unit(work: Callable[..., Any]) -> Callable[..., Any]:
        def met(*args: Any) -> Any:
            side_by_side.wait()  # holding a connection, as a slow query would
            return work(*args)

        return met

    def opened(*_: Any) -> None:
        nonlocal connections_opened
        connections_opened += 1

    monkeypatch.setattr(database, "run_sync", counted_run_sync)
    event.listen(database.engine, "connect", opened)
    path = f"{TICKETS}/{ticket['id']}"

    async def fifty_reads() -> list[int]:
        async with started_client(app) as client:
            responses = await asyncio.gather(
                *(client.get(path, headers=tech_headers) for _ in range(50))
            )
        return [response.status_code for response in responses]

    monkeypatch.setattr(
        ticket_service, "read_ticket", meet_another_unit(ticket_service.read_ticket)
    )
    statuses = asyncio.run(fifty_reads())
    assert statuses == [200] * 50
    assert most_in_work == threads  # never more units of work than connections...
    assert connections_opened <= threads  # ...and never more connections than threads


def test_a_password_check_holds_no_database_thread(
    settings: Settings, tech_headers: Headers, monkeypatch: pytest.MonkeyPatch
) -> None:
    """With one database thread, a read answers while a login's password check is held."""
    app = create_app(settings.model_copy(update={"db_threads": 1}))
    held = HeldWork()
    monkeypatch.setattr(
        "lessons.lesson_09_request_path.security.check_password", held.hold(check_password)
    )

    async def scenario() -> tuple[int, int]:
        async with started_client(app) as client:
            form = {"username": TECHNICIAN_EMAIL, "password": PASSWORD}
            login = asyncio.create_task(client.post(TOKEN_URL, data=form))
            try:
                await until(lambda: held.running == 1, "checking the password")
                read = await asyncio.wait_for(
                    client.get("/api/v1/users/me", headers=tech_headers), WAIT
                )
            finally:
                held.released.set()
            return read.status_code, (await login).status_code

    assert asyncio.run(scenario()) == (200, 200)
