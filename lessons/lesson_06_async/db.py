"""The database: one engine and one session factory per app, one session per request.

`get_db()` is the blog post's pattern, corrected: the session it yields belongs to one
request, is committed when the endpoint succeeds, rolled back when it raises, and closed in
both cases.
"""

import os
from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Annotated

from fastapi import Depends, Request
from sqlalchemy import DateTime, Engine, create_engine
from sqlalchemy.engine import Dialect
from sqlalchemy.orm import Session, sessionmaker
from sqlalchemy.types import TypeDecorator

from .slow_query import slow_connect_args


def utc_now() -> datetime:
    return datetime.now(UTC)


# --8<-- [start:utc-datetime]
class UTCDateTime(TypeDecorator[datetime]):
    """A timestamp that is timezone-aware UTC in Python on every database.

    PostgreSQL keeps the zone (`timestamptz`); SQLite stores text and hands back naive
    datetimes, which would break every client expecting an offset.
    """

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime: pass a timezone-aware value")
        return value.astimezone(UTC)

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:  # SQLite: stored as UTC by process_bind_param
            return value.replace(tzinfo=UTC)
        return value.astimezone(UTC)


# --8<-- [end:utc-datetime]

# --8<-- [start:database]
# --8<-- [start:knobs]
# This lesson's measurements turn these knobs through the environment (lesson 07 does it
# properly, with settings). The defaults: a file beside where you start the server, and
# SQLAlchemy's own pool, 5 connections plus 10 overflow, 30 s to wait for one.
DATABASE_URL = os.environ.get("DATABASE_URL", "sqlite:///./repairdesk-lesson06.db")
POOL_SIZE = int(os.environ.get("DB_POOL_SIZE", "5"))
MAX_OVERFLOW = int(os.environ.get("DB_MAX_OVERFLOW", "10"))
POOL_TIMEOUT = float(os.environ.get("DB_POOL_TIMEOUT", "30"))
# Milliseconds added to every SELECT, to stand in for a slow database (see slow_query.py).
SIMULATED_QUERY_MS = float(os.environ.get("SIMULATED_QUERY_MS", "0"))
# --8<-- [end:knobs]


def create_db_engine(url: str) -> Engine:
    # `def` endpoints run in a threadpool: a pooled SQLite connection may be used by another
    # thread than the one that opened it (one at a time), which sqlite3 refuses by default.
    connect_args = {"check_same_thread": False, **slow_connect_args(SIMULATED_QUERY_MS)}
    return create_engine(
        url,
        connect_args=connect_args,
        pool_size=POOL_SIZE,
        max_overflow=MAX_OVERFLOW,
        pool_timeout=POOL_TIMEOUT,
    )


class Database:
    """An engine and its session factory: built once, shared by every request."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self.sessions = sessionmaker(engine)


# --8<-- [end:database]


# --8<-- [start:get-db]
def get_database(request: Request) -> Database:
    """The app's database; tests put an in-memory one in its place."""
    database: Database = request.app.state.database
    return database


def get_db(database: Annotated[Database, Depends(get_database)]) -> Iterator[Session]:
    """One session per request: committed if the endpoint succeeds, rolled back if it raises."""
    with database.sessions() as session:  # closed, and its connection returned, in all cases
        try:
            yield session
            session.commit()
        except Exception:
            # Explicit for the reader: leaving the `with` closes the session, which rolls back too.
            session.rollback()
            raise


# scope="function": commit as soon as the endpoint has returned, *before* the response leaves.
# With the default scope ("request") the commit would run after the client already got its
# 201, and a failed commit would go unnoticed by the client.
SessionDep = Annotated[Session, Depends(get_db, scope="function")]
# --8<-- [end:get-db]
