"""The post's pattern deadlocks on a small connection pool; both fixes serve every request.

Each test starts a real uvicorn server in a subprocess (the event loop is what is on trial, so
an in-process TestClient would not do), with a pool of one connection that never overflows,
and sends more concurrent requests than the pool holds. Every wait is bounded by a client
timeout, and the server is killed when the test ends, whatever happened.
"""

import asyncio
from collections.abc import Iterator
from contextlib import AbstractContextManager
from pathlib import Path

import pytest

from benchmarks import harness

# One pooled connection, no overflow, and a pool timeout far longer than the test: the
# deadlock is then for real, not a slow queue.
TINY_POOL = {
    "DB_POOL_SIZE": "1",
    "DB_MAX_OVERFLOW": "0",
    "DB_POOL_TIMEOUT": "600",
    "SIMULATED_QUERY_MS": "50",
}
IN_FLIGHT = 4  # concurrent requests: more than the pool's one connection
CLIENT_TIMEOUT = 2.0  # the fixed variants need about IN_FLIGHT x 50 ms


def serve(module: str, tmp_path: Path) -> AbstractContextManager[harness.Server]:
    env = {"DATABASE_URL": f"sqlite:///{tmp_path / 'tickets.db'}", **TINY_POOL}
    # A blocked event loop never handles SIGTERM: do not wait long before SIGKILL.
    return harness.serve(f"lessons.lesson_06_async.{module}:app", env=env, stop_grace=0.5)


async def get_status(server: harness.Server, path: str) -> int | None:
    """GET `path` on a connection of its own; the status, or None if no answer came in time."""
    try:
        async with asyncio.timeout(CLIENT_TIMEOUT):
            reader, writer = await asyncio.open_connection(server.host, server.port)
            writer.write(f"GET {path} HTTP/1.1\r\nHost: {server.host}\r\n\r\n".encode())
            status_line = await reader.readline()
            writer.close()
    except TimeoutError:
        return None
    return int(status_line.split()[1])


async def burst(server: harness.Server) -> list[int | None]:
    """IN_FLIGHT concurrent GET /tickets, then GET /health: every status (None: no answer)."""
    async with asyncio.TaskGroup() as requests:
        tickets = [requests.create_task(get_status(server, "/tickets")) for _ in range(IN_FLIGHT)]
        await asyncio.sleep(0.2)  # the tickets are in flight: now ask for the health check
        health = requests.create_task(get_status(server, "/health"))
    return [task.result() for task in [*tickets, health]]


@pytest.fixture
def blocking_server(tmp_path: Path) -> Iterator[harness.Server]:
    with serve("blocking", tmp_path) as server:
        yield server


def test_blog_pattern_stops_answering_even_health_checks(blocking_server: harness.Server) -> None:
    *tickets, health = asyncio.run(burst(blocking_server))
    assert health is None  # /health touches no database, and still gets no answer
    assert tickets.count(None) >= IN_FLIGHT - 1  # at most the first request got through


@pytest.mark.parametrize("module", ["app", "async_session"])
def test_fixed_variants_serve_every_request_with_the_same_pool(module: str, tmp_path: Path) -> None:
    with serve(module, tmp_path) as server:
        statuses = asyncio.run(burst(server))
    assert statuses == [200] * (IN_FLIGHT + 1)
