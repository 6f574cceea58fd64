"""Isolated databases for tests: each test gets its own, and the learner's file is never touched.

`in_memory_engine()` is a private SQLite database that lives as long as the engine.
`":memory:"` alone is not enough: every new connection would open a new, empty database, so
the tables the app creates at start-up would be gone for its first request. `StaticPool`
hands every session the same single connection.

A lesson's conftest imports the `database_engine` fixture (`from tests.support.database
import database_engine`) and puts the engine where its app reads it.
"""

from collections.abc import Iterator

import pytest
from sqlalchemy import Engine, create_engine, func, select, table
from sqlalchemy.pool import StaticPool


def in_memory_engine() -> Engine:
    return create_engine(
        "sqlite://",
        poolclass=StaticPool,
        # The app's threadpool and the test's thread share the one connection.
        connect_args={"check_same_thread": False},
    )


def row_count(engine: Engine, table_name: str) -> int:
    """How many rows a table holds, read on a connection of its own (what is committed)."""
    with engine.connect() as connection:
        return connection.scalar(select(func.count()).select_from(table(table_name))) or 0


@pytest.fixture
def database_engine() -> Iterator[Engine]:
    """A fresh in-memory database for one test, closed after it."""
    engine = in_memory_engine()
    yield engine
    engine.dispose()
