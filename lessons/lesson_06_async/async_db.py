"""The async way to the same database: an `AsyncEngine` and one `AsyncSession` per request.

Every query is awaited, so while the database works the event loop serves other requests.
With SQLite the async driver is aiosqlite, which runs each connection in its own thread;
SQLAlchemy's asyncio support needs greenlet, which the `sqlalchemy[asyncio]` extra installs.
"""

from collections.abc import AsyncIterator
from typing import Annotated

from fastapi import Depends
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker, create_async_engine

from .db import DATABASE_URL, MAX_OVERFLOW, POOL_SIZE, POOL_TIMEOUT, SIMULATED_QUERY_MS
from .slow_query import slow_connect_args

# --8<-- [start:engine]
# The same database file, through the async driver: sqlite:// becomes sqlite+aiosqlite://.
ASYNC_DATABASE_URL = make_url(DATABASE_URL).set(drivername="sqlite+aiosqlite")

async_engine = create_async_engine(
    ASYNC_DATABASE_URL,
    pool_size=POOL_SIZE,
    max_overflow=MAX_OVERFLOW,
    pool_timeout=POOL_TIMEOUT,
    connect_args=slow_connect_args(SIMULATED_QUERY_MS),
)
AsyncSessionLocal = async_sessionmaker(async_engine, expire_on_commit=False)


async def get_async_db() -> AsyncIterator[AsyncSession]:
    async with AsyncSessionLocal() as session:
        yield session


AsyncSessionDep = Annotated[AsyncSession, Depends(get_async_db)]
# --8<-- [end:engine]
