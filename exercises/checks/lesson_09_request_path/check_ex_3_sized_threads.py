"""Checks that at most `threads` units of work run at once, in threads of the database's own.

Six units of work, each holding a connection for 0.12 s as a slow query would, are started at
once; meanwhile the check counts the units in threads and the shared threadpool's threads in
use, and a heartbeat on the event loop ticks every 5 ms: a free loop ticks while each unit
works, a blocked one never does.

--8<-- [start:hint]
An `anyio.CapacityLimiter(threads)`, made once in `__init__` (say `self.threads`), holds
`threads` places: `await anyio.to_thread.run_sync(call, limiter=self.threads)` waits on the
event loop for a free place, then runs `call` in a worker thread. Without `limiter=`, it
takes a place among the 40 of the default limiter, the one `run_in_threadpool` uses.
`anyio.to_thread.run_sync` passes positional arguments only: hand it the work and its
arguments as one callable, `functools.partial(self.run_sync, work, *args, **kwargs)`.
--8<-- [end:hint]
"""

import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from types import ModuleType
from typing import Any

import anyio
import anyio.to_thread
import pytest
from sqlalchemy import text
from sqlalchemy.orm import Session

from exercises.checks.lesson_09_request_path.conftest import on_the_event_loop

UNITS = 6
SECONDS = 0.12  # each unit of work's slow query
TICK = 0.005  # the heartbeat's


@dataclass
class Watch:
    in_threads: int = 0  # units of work started and not finished
    most_in_threads: int = 0
    most_shared_threads: int = 0  # of the default limiter's, which `def` endpoints share
    shared_threads: int = 40
    beats: int = 0  # of the heartbeat on the event loop
    units_without_a_beat: int = 0  # the event loop stood still all the while they worked
    ran_on_the_loop: bool = False
    lock: threading.Lock = field(default_factory=threading.Lock)


def unit_of_work(session: Session, number: int, *, watch: Watch) -> int:
    with watch.lock:
        watch.in_threads += 1
        watch.most_in_threads = max(watch.most_in_threads, watch.in_threads)
    try:
        watch.ran_on_the_loop |= on_the_event_loop()
        session.execute(text("SELECT 1"))  # takes a connection from the pool, or waits for one
        beats = watch.beats
        time.sleep(SECONDS)  # a slow query: SQLAlchemy's calls block
        with watch.lock:  # a busy machine may delay a tick; a blocked event loop misses them all
            watch.units_without_a_beat += watch.beats - beats < 2
        return number * 10
    finally:
        with watch.lock:
            watch.in_threads -= 1


async def under_load(database: Any, watch: Watch) -> list[int]:
    results = [-1] * UNITS
    finished = anyio.Event()

    async def one(number: int) -> None:
        results[number] = await database.run(unit_of_work, number, watch=watch)

    async def heartbeat() -> None:
        shared = anyio.to_thread.current_default_thread_limiter()
        watch.shared_threads = int(shared.total_tokens)
        while not finished.is_set():
            await anyio.sleep(TICK)
            watch.beats += 1
            watch.most_shared_threads = max(watch.most_shared_threads, shared.borrowed_tokens)

    async with anyio.create_task_group() as everything:
        everything.start_soon(heartbeat)
        async with anyio.create_task_group() as requests:
            for number in range(UNITS):
                requests.start_soon(one, number)
        finished.set()
    return results


@pytest.mark.parametrize("threads", [2, 3])
def test_at_most_threads_units_of_work_at_once(
    module: ModuleType, tmp_path: Path, threads: int
) -> None:
    database = module.Database(f"sqlite:///{tmp_path / 'repairdesk.db'}", threads=threads)
    watch = Watch()
    try:
        results = anyio.run(under_load, database, watch)
    finally:
        database.dispose()
    expected = [number * 10 for number in range(UNITS)]
    assert results == expected, f"`run` should hand back each unit's result, {expected}: {results}"
    assert not watch.ran_on_the_loop, (
        "the units of work ran on the event loop: while each one worked, every other request "
        "waited; run them in worker threads"
    )
    assert watch.units_without_a_beat <= UNITS // 2, (
        f"the event loop stood still while {watch.units_without_a_beat} of the {UNITS} units of "
        "work ran, and every other request waited: something in `run` blocks it"
    )
    assert watch.most_in_threads <= threads, (
        f"with threads={threads}, {watch.most_in_threads} units of work were in threads at once, "
        f"{watch.most_in_threads - threads} of them only waiting for one of the {threads} "
        "connections: let at most `threads` in, the others waiting on the event loop"
    )
    assert watch.most_shared_threads == 0, (
        f"the units of work took {watch.most_shared_threads} of the {watch.shared_threads} "
        "threads that every `def` endpoint and sync dependency shares: give the database a "
        "limiter of its own (`limiter=`)"
    )
    assert watch.most_in_threads == threads, (
        f"with threads={threads}, at most {watch.most_in_threads} unit(s) of work ran at once: "
        f"the database has {threads} connections, for {threads} at once"
    )
