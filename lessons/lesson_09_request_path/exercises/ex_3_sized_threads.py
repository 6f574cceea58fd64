"""Give the database threads of its own.

--8<-- [start:task]
**Ticket RD-903.** Under load, requests that never touch the database stall too, and some
that do fail after 30 s with `QueuePool limit of size 2 overflow 0 reached`. `Database.run`
hands each unit of work to Starlette's threadpool (`run_in_threadpool`), which runs up to 40
at once, for a pool of `threads` connections: the threads beyond those only wait for a
connection, and they are taken from the 40 that every `def` endpoint and sync dependency
shares. Make `run` let at most `threads` units of work run at once (`threads` is
`REPAIRDESK_DB_THREADS`; the check tries 2 and 3), each in a thread of the database's own,
not the shared threadpool's; the others wait their turn on the event loop, holding no thread.
The event loop stays free all along: other requests are served while the database works.
--8<-- [end:task]

The check runs six units of work of 0.12 s each at once, and watches the threads.
"""

from collections.abc import Callable
from typing import Concatenate, ParamSpec, TypeVar

from sqlalchemy.orm import Session, sessionmaker
from starlette.concurrency import run_in_threadpool

from lessons.lesson_09_request_path.db import create_db_engine

P = ParamSpec("P")
T = TypeVar("T")


class Database:
    """One engine, session factory and set of threads per app, shared by every request."""

    def __init__(self, url: str, *, threads: int = 2) -> None:
        self.engine = create_db_engine(url, connections=threads)  # `threads` connections, no more
        self.sessions = sessionmaker(self.engine, expire_on_commit=False)
        # TODO: what lets at most `threads` units of work run at once.

    def run_sync(
        self, work: Callable[Concatenate[Session, P], T], /, *args: P.args, **kwargs: P.kwargs
    ) -> T:
        """Run `work(session, ...)` in one transaction: commit on success, roll back on error."""
        with self.sessions.begin() as session:
            return work(session, *args, **kwargs)

    async def run(
        self, work: Callable[Concatenate[Session, P], T], /, *args: P.args, **kwargs: P.kwargs
    ) -> T:
        """`run_sync` in a worker thread: the event loop keeps serving others."""
        # TODO: the shared threadpool runs up to 40 at once; the database has `threads`.
        return await run_in_threadpool(self.run_sync, work, *args, **kwargs)

    def dispose(self) -> None:
        self.engine.dispose()
