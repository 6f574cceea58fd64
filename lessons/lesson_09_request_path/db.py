"""The database: one engine, session factory and set of threads per app, one trip per request.

`Database.run(work, ...)` opens a session, runs `work` in a worker thread inside one
transaction (commit on success, rollback on error) and hands back its result. Endpoints stay
`async def` and await it: the blocking SQLAlchemy calls never run on the event loop, and a
request pays for one thread hop instead of one per sync dependency.
"""

from collections.abc import Callable
from datetime import UTC, datetime
from functools import partial
from typing import Any, Concatenate, ParamSpec, TypeVar

import anyio
import anyio.to_thread
from sqlalchemy import DateTime, Engine, create_engine, event
from sqlalchemy.engine import Dialect
from sqlalchemy.orm import Session, sessionmaker
from sqlalchemy.types import TypeDecorator

P = ParamSpec("P")
T = TypeVar("T")


# --8<-- [start:engine]
def create_db_engine(url: str, *, connections: int = 2) -> Engine:
    # `Database.run` works in threads: a pooled SQLite connection may be used by another
    # thread than the one that opened it (one at a time), which sqlite3 refuses by default.
    # Only SQLite has that rule, and only its driver knows the argument. PostgreSQL's driver
    # gives up after 5 s on a server that does not answer, rather than hang the request.
    is_sqlite = url.startswith("sqlite")
    connect_args = {"check_same_thread": False} if is_sqlite else {"connect_timeout": 5}
    engine = create_engine(
        url,
        connect_args=connect_args,
        # Never more connections than `Database` has threads to use them: none waits idle, and
        # no thread ever waits for one.
        pool_size=connections,
        max_overflow=0,
    )
    if is_sqlite:
        event.listen(engine, "connect", _configure_sqlite_connection)
    return engine


def _configure_sqlite_connection(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    # A writer waits up to 30 s for another to finish instead of failing with
    # "database is locked".
    cursor.execute("PRAGMA busy_timeout=30000")
    # WAL: readers never block the writer and the writer never blocks readers. It is a
    # property of the file, set by the migrations; switching here, while other connections
    # are busy, would fail at once: the busy timeout does not cover a change of journal mode.
    if cursor.execute("PRAGMA journal_mode").fetchone()[0] != "wal":
        cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA synchronous=NORMAL")  # safe with WAL, far fewer fsyncs
    cursor.close()


# --8<-- [end:engine]


# --8<-- [start:database]
class Database:
    """An engine, its session factory and its threads: built once, shared by every request.

    `threads` database calls run at once, each in a worker thread with a connection of its
    own; the rest wait their turn on the event loop, holding nothing. Few threads are faster
    than many: Python code runs in one thread at a time (the GIL), so a thread beyond those the
    database keeps busy only adds switching. Raise it when the database is across a network,
    where each call mostly waits.
    """

    def __init__(self, url: str, *, threads: int = 2) -> None:
        self.engine = create_db_engine(url, connections=threads)
        self.sessions = sessionmaker(self.engine, expire_on_commit=False)
        self.threads = anyio.CapacityLimiter(threads)

    def run_sync(
        self, work: Callable[Concatenate[Session, P], T], /, *args: P.args, **kwargs: P.kwargs
    ) -> T:
        """Run `work(session, ...)` in one transaction: commit on success, roll back on error."""
        with self.sessions.begin() as session:
            return work(session, *args, **kwargs)

    async def run(
        self, work: Callable[Concatenate[Session, P], T], /, *args: P.args, **kwargs: P.kwargs
    ) -> T:
        """`run_sync` in one of the database's threads: the event loop keeps serving others."""
        call = partial(self.run_sync, work, *args, **kwargs)
        return await anyio.to_thread.run_sync(call, limiter=self.threads)

    def dispose(self) -> None:
        self.engine.dispose()


# --8<-- [end:database]


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
