"""A connection PostgreSQL dropped (a restart, a failover) costs no request: the work reruns.

Reads run outside a transaction (`Database.read`) and writes inside one (`Database.run`):
both run again on a fresh connection, so a restarted server is not a stream of 500s.
"""

from __future__ import annotations

import time
from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import create_engine, func, select, text
from sqlalchemy.orm import Session

from final_app.config import Settings
from final_app.db import Database
from final_app.main import create_app
from final_app.migrate import upgrade
from final_app.models import Role, Ticket
from tests.final_app.conftest import TEST_SECRET_KEY, PostgresSchema, add_user, bearer


@pytest.fixture
def database(postgres_schema: PostgresSchema) -> Iterator[Database]:
    upgrade(postgres_schema.url)
    database = Database(postgres_schema.url, threads=1)  # one pooled connection, reused
    yield database
    database.dispose()


def backend_pid(session: Session) -> int:
    return int(session.scalar(text("SELECT pg_backend_pid()")) or 0)


def drop_connection(server_url: str, pid: int) -> None:
    """What a PostgreSQL restart does to every open connection, to one of them."""
    engine = create_engine(server_url)
    with engine.begin() as connection:
        connection.execute(text("SELECT pg_terminate_backend(:pid)"), {"pid": pid})
        for _ in range(50):  # the backend exits just after the call returns
            gone = connection.execute(
                text("SELECT count(*) = 0 FROM pg_stat_activity WHERE pid = :pid"), {"pid": pid}
            ).scalar()
            if gone:
                break
            time.sleep(0.05)
    engine.dispose()


def test_work_on_a_dropped_connection_runs_again_on_a_fresh_one(
    database: Database, postgres_schema: PostgresSchema
) -> None:
    first = database.run_sync(backend_pid)
    drop_connection(postgres_schema.server_url, first)
    calls: list[int] = []

    def count_users(session: Session) -> int:
        calls.append(1)
        return int(session.scalar(text("SELECT count(*) FROM users")) or 0)

    assert database.run_sync(count_users) == 0  # no error reached the caller
    assert len(calls) == 2  # failed once on the dead connection, then ran again
    assert database.run_sync(backend_pid) != first


def test_other_database_errors_are_not_retried(database: Database) -> None:
    calls: list[int] = []

    def broken(session: Session) -> None:
        calls.append(1)
        session.execute(text("SELECT * FROM no_such_table"))

    with pytest.raises(Exception, match="no_such_table"):
        database.run_sync(broken)
    assert len(calls) == 1


def count_tickets(session: Session) -> int:
    return session.scalar(select(func.count()).select_from(Ticket)) or 0


def test_a_read_on_a_dropped_connection_runs_again_on_a_fresh_one(
    database: Database, postgres_schema: PostgresSchema
) -> None:
    first = database.read_sync(backend_pid)
    drop_connection(postgres_schema.server_url, first)
    assert database.read_sync(count_tickets) == 0  # no error reached the caller
    assert database.read_sync(backend_pid) != first


def test_a_read_that_loses_its_connection_midway_runs_again_whole(
    database: Database, postgres_schema: PostgresSchema
) -> None:
    """Nothing is written, so unlike a COMMIT, a read may be cut at any statement."""
    calls: list[int] = []

    def count_lose_the_connection_count(session: Session) -> int:
        calls.append(1)
        count_tickets(session)
        if len(calls) == 1:
            drop_connection(postgres_schema.server_url, backend_pid(session))
        return count_tickets(session)

    assert database.read_sync(count_lose_the_connection_count) == 0
    assert len(calls) == 2


def test_after_a_restart_reads_and_writes_answer_at_once(
    postgres_schema: PostgresSchema, password_hash: str
) -> None:
    upgrade(postgres_schema.url)
    technician = add_user(postgres_schema.url, "tech@example.com", Role.TECHNICIAN, password_hash)
    headers = bearer(technician)
    ticket = {"customer_email": "ada@example.com", "device_model": "Pixel 8", "estimated_cost": 9}
    settings = Settings(database_url=postgres_schema.url, secret_key=TEST_SECRET_KEY)
    with TestClient(create_app(settings)) as client:
        location = client.post("/api/v1/tickets", json=ticket, headers=headers).headers["Location"]
        database: Database = client.app.state.database  # type: ignore[attr-defined]
        drop_connection(postgres_schema.server_url, database.read_sync(backend_pid))
        assert client.get(location, headers=headers).status_code == 200
        assert client.get("/api/v1/tickets", headers=headers).json()["total"] == 1
        drop_connection(postgres_schema.server_url, database.read_sync(backend_pid))
        assert client.post("/api/v1/tickets", json=ticket, headers=headers).status_code == 201
