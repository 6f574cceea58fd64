"""The database: one engine and one session factory per app, one session per request.

`get_db()` is the blog post's pattern, corrected: the session it yields belongs to one
request, is committed when the endpoint succeeds, rolled back when it raises, and closed in
both cases.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Annotated

from fastapi import Depends, Request
from sqlalchemy import DateTime, Engine, create_engine
from sqlalchemy.engine import Dialect
from sqlalchemy.orm import Session, sessionmaker
from sqlalchemy.types import TypeDecorator

if TYPE_CHECKING:  # only a type here: config.py imports the schemas, which import this module
    from .config import Settings


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
def create_db_engine(settings: Settings) -> Engine:
    # `def` endpoints run in a threadpool: a pooled SQLite connection may be used by another
    # thread than the one that opened it (one at a time), which sqlite3 refuses by default.
    # Only SQLite has that rule, and only its driver knows the argument.
    url = settings.database_url.get_secret_value()
    is_sqlite = url.startswith("sqlite")
    connect_args = {"check_same_thread": False} if is_sqlite else {}
    return create_engine(
        url,
        connect_args=connect_args,
        pool_size=settings.db_pool_size,
        max_overflow=settings.db_max_overflow,
        pool_timeout=settings.db_pool_timeout,
    )


class Database:
    """An engine and its session factory: built once, shared by every request."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self.sessions = sessionmaker(engine)


# --8<-- [end:database]


# --8<-- [start:get-db]
def get_database(request: Request) -> Database:
    """The app's database, which the lifespan opened (see `main.py`)."""
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
