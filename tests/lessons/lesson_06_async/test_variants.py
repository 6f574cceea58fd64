"""Lesson 06's variants in-process: the same answers, the same sessions, a slow query on demand.

The three apps differ in how they wait for the database, never in what they answer: the
benchmark compares them on equal terms only because these tests hold.
"""

import asyncio
import subprocess
import sys
import time
from collections.abc import Callable
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import text
from starlette.datastructures import State

from lessons.lesson_06_async import async_session, blocking
from lessons.lesson_06_async.async_db import AsyncDatabase, create_async_db_engine, get_async_db
from lessons.lesson_06_async.db import Database, create_db_engine
from lessons.lesson_06_async.models import Ticket
from lessons.lesson_06_async.slow_query import slow_connect_args
from tests.behaviours.api_keys import FRONT_DESK_KEY
from tests.support.database import engine_on, row_count

ROOT = Path(__file__).resolve().parents[3]


def test_health_answers_without_an_api_key(app: FastAPI) -> None:
    with TestClient(app) as client:  # no X-API-Key header
        response = client.get("/health")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}


def with_database(
    app: FastAPI, database: Database | AsyncDatabase, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Give `app` this database until the test ends; then it has its own again."""
    # A new State, not a new app.state.database: monkeypatch would delete that attribute on
    # undo, since a State keeps its attributes in a dict of its own, not in its __dict__.
    monkeypatch.setattr(app, "state", State({"database": database}))


def listing(
    app: FastAPI, database: Database | AsyncDatabase, monkeypatch: pytest.MonkeyPatch
) -> Any:
    with_database(app, database, monkeypatch)
    with TestClient(app, headers={"X-API-Key": FRONT_DESK_KEY}) as client:
        return client.get("/tickets", params={"limit": 100}).json()


def test_every_variant_lists_the_same_tickets(
    app: FastAPI, tmp_path: Path, valid_ticket: dict[str, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    url = f"sqlite:///{tmp_path / 'tickets.db'}"
    with_database(app, Database(create_db_engine(url)), monkeypatch)
    with TestClient(app, headers={"X-API-Key": FRONT_DESK_KEY}) as client:
        for device in ["Pixel 8", "iPhone 15", "Fairphone 5"]:
            client.post("/tickets", json={**valid_ticket, "device_model": device})
        expected = client.get("/tickets", params={"limit": 100}).json()
    assert [ticket["device_model"] for ticket in expected["items"]] == [
        "Pixel 8",
        "iPhone 15",
        "Fairphone 5",
    ]
    assert listing(blocking.app, Database(create_db_engine(url)), monkeypatch) == expected
    database = AsyncDatabase(create_async_db_engine(url))
    assert listing(async_session.app, database, monkeypatch) == expected


def test_the_async_engine_reaches_the_same_file_through_aiosqlite(tmp_path: Path) -> None:
    engine = create_async_db_engine(f"sqlite:///{tmp_path / 'tickets.db'}")
    assert engine.url.drivername == "sqlite+aiosqlite"
    assert engine.url.database == str(tmp_path / "tickets.db")


def test_get_async_db_commits_when_the_work_succeeds(
    tmp_path: Path, ticket_row: Callable[[], Ticket]
) -> None:
    url = f"sqlite:///{tmp_path / 'tickets.db'}"
    database = AsyncDatabase(create_async_db_engine(url))

    async def work() -> None:
        try:
            await database.create_tables()
            async with asynccontextmanager(get_async_db)(database) as session:
                session.add(ticket_row())
        finally:
            await database.engine.dispose()

    asyncio.run(work())
    with engine_on(url) as engine:
        assert row_count(engine, "tickets") == 1


def test_get_async_db_rolls_back_and_reraises_when_the_work_fails(
    tmp_path: Path, ticket_row: Callable[[], Ticket]
) -> None:
    url = f"sqlite:///{tmp_path / 'tickets.db'}"
    database = AsyncDatabase(create_async_db_engine(url))

    async def work_that_fails_after_an_insert() -> None:
        await database.create_tables()
        try:
            async with asynccontextmanager(get_async_db)(database) as session:
                session.add(ticket_row())
                await session.flush()
                raise RuntimeError("endpoint failed")
        finally:
            await database.engine.dispose()

    with pytest.raises(RuntimeError, match="endpoint failed"):
        asyncio.run(work_that_fails_after_an_insert())
    with engine_on(url) as engine:
        assert row_count(engine, "tickets") == 0


def test_a_simulated_slow_query_delays_each_select(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'slow.db'}"
    with (
        engine_on(url, connect_args=slow_connect_args(200)) as engine,
        engine.connect() as connection,
    ):
        started = time.perf_counter()
        connection.execute(text("SELECT 1"))
        assert time.perf_counter() - started >= 0.2


def test_without_a_simulated_delay_the_connection_is_sqlites_own() -> None:
    assert slow_connect_args(0) == {}


@pytest.mark.parametrize("module", ["app", "blocking", "async_session"])
def test_importing_a_variant_creates_no_database_file(module: str, tmp_path: Path) -> None:
    subprocess.run(
        [sys.executable, "-c", f"import lessons.lesson_06_async.{module}"],
        cwd=tmp_path,
        env={"PYTHONPATH": str(ROOT)},
        check=True,
        timeout=60,
    )
    assert list(tmp_path.iterdir()) == []
