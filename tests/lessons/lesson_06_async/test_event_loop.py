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
from typing import NamedTuple

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


class Client:
    """One keep-alive connection to the server, opened before any request is sent."""

    def __init__(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self.reader, self.writer = reader, writer

    @classmethod
    async def connect(cls, server: harness.Server) -> "Client":
        return cls(*await asyncio.open_connection(server.host, server.port))

    def send(self, path: str) -> None:
        request = f"GET {path} HTTP/1.1\r\nHost: x\r\nX-API-Key: {FRONT_DESK_KEY}\r\n\r\n"
        self.writer.write(request.encode())

    async def status(self, within: float = CLIENT_TIMEOUT) -> int | None:
        """The response's status code, or None if none came `within` so many seconds."""
        try:
            async with asyncio.timeout(within):
                status_line = await self.reader.readline()
        except TimeoutError:
            return None
        finally:
            self.writer.close()
        return int(status_line.split()[1])


async def get_status(server: harness.Server, path: str, within: float) -> int | None:
    client = await Client.connect(server)
    client.send(path)
    return await client.status(within)


# --8<-- [start:stall]
SLOW_QUERY = {"SIMULATED_QUERY_MS": "2000"}


class Timings(NamedTuple):
    health_wait: float  # seconds /health took to answer
    health_lead: float  # seconds /health answered before the slow /tickets did


async def health_during_a_slow_query(server: harness.Server) -> Timings:
    """/health, asked while a two-second query runs in another request."""
    answered_at: dict[str, float] = {}

    async def ask(path: str) -> int | None:
        status = await get_status(server, path, within=5)
        answered_at[path] = time.perf_counter()
        return status

    sent = time.perf_counter()
    async with asyncio.TaskGroup() as requests:
        tickets = requests.create_task(ask("/tickets"))
        await asyncio.sleep(0.5)  # the query has started
        started = time.perf_counter()
        assert await ask("/health") == 200
    # /tickets ran its slow query and answered: a quick /health is not one that ran alone
    # because /tickets had already failed.
    assert tickets.result() == 200
    assert time.perf_counter() - sent >= 2.0
    return Timings(
        health_wait=answered_at["/health"] - started,
        health_lead=answered_at["/tickets"] - answered_at["/health"],
    )


def test_blog_pattern_makes_health_wait_for_someone_elses_query(tmp_path: Path) -> None:
    with serve("blocking", tmp_path, **SLOW_QUERY) as server:
        timings = asyncio.run(health_during_a_slow_query(server))
    # The loop was stuck in the query: /health answered only when it ended, right after
    # /tickets, however slowly this machine ran the test; it had waited about 1.5 s.
    assert timings.health_lead < 0.25
    assert timings.health_wait > 0.5


@pytest.mark.parametrize("module", FIXED_VARIANTS)
def test_fixed_variants_answer_health_while_a_query_runs(module: str, tmp_path: Path) -> None:
    with serve(module, tmp_path, **SLOW_QUERY) as server:
        timings = asyncio.run(health_during_a_slow_query(server))
    assert timings.health_wait < 1.0  # milliseconds
    assert timings.health_lead > 0.5  # about 1.5 s before the query ended


# --8<-- [end:stall]


# --8<-- [start:deadlock]
# One pooled connection, no overflow, and a pool timeout far longer than the test: a request
# that waits for a connection waits for good.
TINY_POOL = {
    "DB_POOL_SIZE": "1",
    "DB_MAX_OVERFLOW": "0",
    "DB_POOL_TIMEOUT": "600",
    "SIMULATED_QUERY_MS": "20",
}
IN_FLIGHT = 8  # concurrent requests: more than the pool holds


async def burst(server: harness.Server) -> list[int | None]:
    """IN_FLIGHT concurrent GET /tickets, then GET /health: every status (None: no answer)."""
    # Connections first, then every request in one go: they reach the server together.
    tickets = [await Client.connect(server) for _ in range(IN_FLIGHT)]
    health = await Client.connect(server)
    for client in tickets:
        client.send("/tickets")
    await asyncio.sleep(1.0)  # ample time to serve them all, or to lock up
    health.send("/health")
    return await asyncio.gather(*(client.status() for client in [*tickets, health]))


def test_blog_pattern_stops_answering_even_health_checks(tmp_path: Path) -> None:
    with serve("blocking", tmp_path, **TINY_POOL) as server:
        *tickets, health = asyncio.run(burst(server))
    assert health is None  # /health touches no database, and still gets no answer
    assert tickets.count(None) >= IN_FLIGHT - 1  # the first request may have got through


@pytest.mark.parametrize("module", FIXED_VARIANTS)
def test_fixed_variants_serve_every_request_with_the_same_pool(module: str, tmp_path: Path) -> None:
    with serve(module, tmp_path, **TINY_POOL) as server:
        statuses = asyncio.run(burst(server))
    assert statuses == [200] * (IN_FLIGHT + 1)


# --8<-- [end:deadlock]
