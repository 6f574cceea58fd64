"""What blocking the event loop does, proven against real servers.

Each test starts a variant with uvicorn in a subprocess (the event loop is what is on trial:
an in-process TestClient would not show it), on a database file of its own, with every SELECT
made slower on purpose (`SIMULATED_QUERY_MS`, see `slow_query.py`). Every wait is bounded by
a client timeout, and the server is killed when the test ends, whatever happened.
"""

import asyncio
import time
from contextlib import AbstractContextManager
from pathlib import Path

import pytest

from benchmarks import harness
from tests.behaviours.api_keys import FRONT_DESK_KEY

FIXED_VARIANTS = ["app", "async_session"]  # def + Session; async def + AsyncSession
CLIENT_TIMEOUT = 2.0  # seconds: every request of these tests needs far less, or never answers


def serve(module: str, tmp_path: Path, **env: str) -> AbstractContextManager[harness.Server]:
    database = {"DATABASE_URL": f"sqlite:///{tmp_path / 'tickets.db'}"}
    # A blocked event loop never handles SIGTERM: do not wait long before SIGKILL.
    app = f"lessons.lesson_06_async.{module}:app"
    return harness.serve(app, env=database | env, stop_grace=0.5)


async def get_status(server: harness.Server, path: str) -> int | None:
    """GET `path` on a connection of its own; the status, or None if no answer came in time."""
    try:
        async with asyncio.timeout(CLIENT_TIMEOUT):
            reader, writer = await asyncio.open_connection(server.host, server.port)
            request = f"GET {path} HTTP/1.1\r\nHost: x\r\nX-API-Key: {FRONT_DESK_KEY}\r\n\r\n"
            writer.write(request.encode())
            status_line = await reader.readline()
            writer.close()
    except TimeoutError:
        return None
    return int(status_line.split()[1])


# --8<-- [start:stall]
SLOW_QUERY = {"SIMULATED_QUERY_MS": "1000"}


async def health_wait_during_a_slow_query(server: harness.Server) -> float:
    """Seconds /health takes to answer while a one-second query runs in another request."""
    async with asyncio.TaskGroup() as requests:
        requests.create_task(get_status(server, "/tickets"))
        await asyncio.sleep(0.2)  # the query has started
        started = time.perf_counter()
        assert await get_status(server, "/health") == 200
        return time.perf_counter() - started


def test_blog_pattern_makes_health_wait_for_someone_elses_query(tmp_path: Path) -> None:
    with serve("blocking", tmp_path, **SLOW_QUERY) as server:
        assert asyncio.run(health_wait_during_a_slow_query(server)) > 0.5


@pytest.mark.parametrize("module", FIXED_VARIANTS)
def test_fixed_variants_answer_health_while_a_query_runs(module: str, tmp_path: Path) -> None:
    with serve(module, tmp_path, **SLOW_QUERY) as server:
        assert asyncio.run(health_wait_during_a_slow_query(server)) < 0.5


# --8<-- [end:stall]


# --8<-- [start:deadlock]
# One pooled connection, no overflow, and a pool timeout far longer than the test: a request
# that waits for a connection waits for good.
TINY_POOL = {
    "DB_POOL_SIZE": "1",
    "DB_MAX_OVERFLOW": "0",
    "DB_POOL_TIMEOUT": "600",
    "SIMULATED_QUERY_MS": "50",
}
IN_FLIGHT = 4  # concurrent requests: more than the pool holds


async def burst(server: harness.Server) -> list[int | None]:
    """IN_FLIGHT concurrent GET /tickets, then GET /health: every status (None: no answer)."""
    async with asyncio.TaskGroup() as requests:
        tickets = [requests.create_task(get_status(server, "/tickets")) for _ in range(IN_FLIGHT)]
        await asyncio.sleep(0.2)  # the tickets are in flight: now ask for the health check
        health = requests.create_task(get_status(server, "/health"))
    return [task.result() for task in [*tickets, health]]


def test_blog_pattern_stops_answering_even_health_checks(tmp_path: Path) -> None:
    with serve("blocking", tmp_path, **TINY_POOL) as server:
        *tickets, health = asyncio.run(burst(server))
    assert health is None  # /health touches no database, and still gets no answer
    assert tickets.count(None) >= IN_FLIGHT - 1  # at most the first request got through


@pytest.mark.parametrize("module", FIXED_VARIANTS)
def test_fixed_variants_serve_every_request_with_the_same_pool(module: str, tmp_path: Path) -> None:
    with serve(module, tmp_path, **TINY_POOL) as server:
        statuses = asyncio.run(burst(server))
    assert statuses == [200] * (IN_FLIGHT + 1)


# --8<-- [end:deadlock]
