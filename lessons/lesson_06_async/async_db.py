"""The async way to the same database: an `AsyncEngine`, one `AsyncSession` per request.

The same shape as `db.py`, with `await` wherever the database is reached: while a query runs,
the event loop serves other requests. With SQLite the async driver is aiosqlite, which runs
each connection in a thread of its own. SQLAlchemy's asyncio support needs greenlet, which
SQLAlchemy 2.1 no longer installs by itself: depend on `sqlalchemy[asyncio]`.
"""

from collections.abc import AsyncIterator
from typing import Annotated

from fastapi import Depends, Request
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import (
    AsyncEngine,
    AsyncSession,
    async_sessionmaker,
    create_async_engine,
)

from .db import MAX_OVERFLOW, POOL_SIZE, POOL_TIMEOUT, SIMULATED_QUERY_MS
from .models import Base
from .slow_query import slow_connect_args


# --8<-- [start:database]
def create_async_db_engine(url: str) -> AsyncEngine:
    # The same database file through the async driver: sqlite:// becomes sqlite+aiosqlite://.
    async_url = make_url(url).set(drivername="sqlite+aiosqlite")
    return create_async_engine(
        async_url,
        connect_args=slow_connect_args(SIMULATED_QUERY_MS),
        pool_size=POOL_SIZE,
        max_overflow=MAX_OVERFLOW,
        pool_timeout=POOL_TIMEOUT,
    )


class AsyncDatabase:
    """An async engine and its session factory: built once, shared by every request."""

    def __init__(self, engine: AsyncEngine) -> None:
        self.engine = engine
        # After a commit, SQLAlchemy expires what it loaded, and reading it again means a query.
        # A sync session runs it unnoticed; an AsyncSession cannot, without an await: keep it.
        self.sessions = async_sessionmaker(engine, expire_on_commit=False)

    async def create_tables(self) -> None:
        async with self.engine.begin() as connection:
            # create_all is sync code: run_sync runs it on the async connection.
            await connection.run_sync(Base.metadata.create_all)


# --8<-- [end:database]


# --8<-- [start:get-db]
async def get_async_database(request: Request) -> AsyncDatabase:
    database: AsyncDatabase = request.app.state.database
    return database


async def get_async_db(
    database: Annotated[AsyncDatabase, Depends(get_async_database)],
) -> AsyncIterator[AsyncSession]:
    """One session per request, as in `db.py`; every call that reaches the database is awaited."""
    async with database.sessions() as session:
        try:
            yield session
            await session.commit()
        except Exception:
            await session.rollback()
            raise


AsyncSessionDep = Annotated[AsyncSession, Depends(get_async_db, scope="function")]
# --8<-- [end:get-db]
