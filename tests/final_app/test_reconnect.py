"""A connection PostgreSQL dropped (a restart, a failover) costs no request: the work reruns."""

from __future__ import annotations

import time
from collections.abc import Iterator

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.orm import Session

from final_app.db import Database
from final_app.migrate import upgrade
from tests.final_app.conftest import PostgresSchema


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
