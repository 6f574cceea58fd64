"""Exercise 09.3, solved: a `CapacityLimiter` of `threads` places, the database's own.

`anyio.to_thread.run_sync(..., limiter=self.threads)` runs at most `threads` units of work at
once, each in a worker thread, and one connection each is all the pool holds: no thread ever
waits for a connection. The others wait for a place on the event loop, where waiting costs a
suspended coroutine, not a thread; and the default limiter's 40 threads stay free for
whatever else needs one. More threads than connections would not run more queries, only
make threads wait for them.
"""

from collections.abc import Callable
from functools import partial
from typing import Concatenate, ParamSpec, TypeVar

import anyio
import anyio.to_thread
from sqlalchemy.orm import Session, sessionmaker

from lessons.lesson_09_request_path.db import create_db_engine

P = ParamSpec("P")
T = TypeVar("T")


class Database:
    """One engine, session factory and set of threads per app, shared by every request."""

    def __init__(self, url: str, *, threads: int = 2) -> None:
        self.engine = create_db_engine(url, connections=threads)  # `threads` connections, no more
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
