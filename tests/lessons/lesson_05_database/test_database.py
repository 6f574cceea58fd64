"""Lesson 05 on its own: one session per request, committed or rolled back, never half-written."""

import subprocess
import sys
from collections.abc import Callable
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import Connection, Engine, inspect, select
from sqlalchemy.exc import StatementError
from sqlalchemy.orm import Session

from lessons.lesson_05_database.db import (
    DATABASE_URL,
    Database,
    SessionDep,
    create_db_engine,
    get_db,
)
from lessons.lesson_05_database.models import Base, Ticket
from tests.behaviours.api_keys import FRONT_DESK_KEY
from tests.support.database import row_count

ROOT = Path(__file__).resolve().parents[3]


def test_a_successful_request_is_committed(
    client: TestClient, database_engine: Engine, valid_ticket: dict[str, Any]
) -> None:
    client.post("/tickets", json=valid_ticket)
    assert row_count(database_engine, "tickets") == 1


def test_the_dependencies_of_one_request_share_one_session(
    client: TestClient, test_route: Any
) -> None:
    def same_session(first: SessionDep, second: SessionDep) -> bool:
        return first is second

    assert client.get(test_route("/test-only/same", same_session, "GET")).json() is True


def test_each_request_gets_a_new_session(client: TestClient, test_route: Any) -> None:
    sessions: list[Session] = []

    def remember(session: SessionDep) -> None:
        sessions.append(session)

    path = test_route("/test-only/remember", remember, "GET")
    client.get(path)
    client.get(path)
    first, second = sessions
    assert first is not second


def test_every_request_borrows_from_the_same_engine(client: TestClient, test_route: Any) -> None:
    engines: list[Engine | Connection] = []

    def remember(session: SessionDep) -> None:
        engines.append(session.get_bind())

    path = test_route("/test-only/engine", remember, "GET")
    client.get(path)
    client.get(path)
    first, second = engines
    assert first is second  # built once with the app, never per request


def test_the_session_is_closed_after_the_request(
    client: TestClient, test_route: Any, ticket_row: Callable[..., Ticket]
) -> None:
    kept: list[tuple[Session, Ticket]] = []

    def add_a_row(session: SessionDep) -> None:
        row = ticket_row()
        session.add(row)
        # Keep both alive: a session that is garbage-collected also lets go of its rows.
        kept.append((session, row))

    client.get(test_route("/test-only/add-a-row", add_a_row, "GET"))
    [(session, row)] = kept
    # A commit alone keeps the row in the session; only closing the session lets go of it.
    assert inspect(row).detached
    assert row not in session


def test_get_db_commits_when_the_work_succeeds(
    database_engine: Engine, ticket_row: Callable[..., Ticket]
) -> None:
    database = Database(database_engine)
    Base.metadata.create_all(database_engine)
    # FastAPI drives a yield dependency the way `contextmanager` does.
    with contextmanager(get_db)(database) as session:
        session.add(ticket_row())
    assert row_count(database_engine, "tickets") == 1


def test_get_db_rolls_back_and_reraises_when_the_work_fails(
    database_engine: Engine, ticket_row: Callable[..., Ticket]
) -> None:
    database = Database(database_engine)
    Base.metadata.create_all(database_engine)

    def endpoint_that_fails_after_an_insert() -> None:
        with contextmanager(get_db)(database) as session:
            session.add(ticket_row())
            session.flush()
            raise RuntimeError("endpoint failed")

    with pytest.raises(RuntimeError, match="endpoint failed"):
        endpoint_that_fails_after_an_insert()
    assert row_count(database_engine, "tickets") == 0


def test_a_timestamp_in_another_zone_comes_back_as_the_same_instant_in_utc(
    database_engine: Engine, ticket_row: Callable[..., Ticket]
) -> None:
    Base.metadata.create_all(database_engine)
    paris = datetime(2026, 11, 25, 15, 0, tzinfo=timezone(timedelta(hours=1)))
    with Session(database_engine) as session:
        session.add(ticket_row(created_at=paris))
        session.commit()
    with Session(database_engine) as session:
        created_at = session.scalars(select(Ticket.created_at)).one()
    assert created_at == paris
    assert created_at.tzinfo is UTC


def test_a_naive_timestamp_is_refused_rather_than_guessed(
    database_engine: Engine, ticket_row: Callable[..., Ticket]
) -> None:
    Base.metadata.create_all(database_engine)
    with Session(database_engine) as session:
        session.add(ticket_row(created_at=datetime(2026, 11, 25, 14, 0)))
        with pytest.raises(StatementError, match="naive datetime"):
            session.flush()


def test_tickets_survive_a_restart_in_the_database_file(
    app: FastAPI, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, valid_ticket: dict[str, Any]
) -> None:
    monkeypatch.chdir(tmp_path)  # the default URL is relative to the working directory
    app.state.database = Database(create_db_engine(DATABASE_URL))
    headers = {"X-API-Key": FRONT_DESK_KEY}
    with TestClient(app, headers=headers) as client:
        ticket_id = client.post("/tickets", json=valid_ticket).json()["id"]
    assert (tmp_path / "repairdesk-lesson05.db").is_file()
    with TestClient(app, headers=headers) as client:  # a new lifespan: the server restarted
        assert client.get(f"/tickets/{ticket_id}").status_code == 200


def test_importing_the_app_creates_no_database_file(tmp_path: Path) -> None:
    # The engine connects on first use, and only the lifespan uses it: tests that swap the
    # database before starting the app never touch the learner's file.
    subprocess.run(
        [sys.executable, "-c", "import lessons.lesson_05_database.app"],
        cwd=tmp_path,
        env={"PYTHONPATH": str(ROOT)},
        check=True,
        timeout=60,
    )
    assert list(tmp_path.iterdir()) == []
