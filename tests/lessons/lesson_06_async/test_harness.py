"""The benchmark harness measures what it claims: answers, timeouts, and a fair summary.

Its asyncio client is the load generator of every machine without wrk, so it is tested
against a real server that answers and against one that never does.
"""

import socket
import sqlite3
import threading
from collections.abc import Iterator
from contextlib import closing
from dataclasses import replace
from pathlib import Path

import pytest

from benchmarks import harness
from tests.behaviours.api_keys import FRONT_DESK_KEY
from tests.support.requirements import require


def test_asyncio_client_counts_every_answer(tmp_path: Path) -> None:
    env = {"DATABASE_URL": f"sqlite:///{tmp_path / 'tickets.db'}"}
    with harness.serve("lessons.lesson_06_async.app:app", env=env) as server:
        result = harness.measure(server.url("/health"), concurrency=4, duration=1, tool="asyncio")
    assert result.requests > 0
    assert (result.errors, result.timeouts) == (0, 0)
    assert result.p50_ms is not None
    assert result.p99_ms is not None
    assert result.p50_ms <= result.p99_ms


@pytest.mark.parametrize("tool", ["asyncio", "wrk"])
def test_a_json_body_is_posted_with_every_request(tool: harness.Tool, tmp_path: Path) -> None:
    if tool == "wrk":
        require(
            harness.wrk_available(),
            "wrk is not installed (apt-get install wrk); the asyncio client is tested",
        )
    database = tmp_path / "tickets.db"
    with harness.serve(
        "lessons.lesson_06_async.app:app", env={"DATABASE_URL": f"sqlite:///{database}"}
    ) as server:
        result = harness.measure(
            server.url("/tickets"),
            concurrency=2,
            duration=1,
            tool=tool,
            headers={"X-API-Key": FRONT_DESK_KEY},
            json_body={
                "customer_email": "ada@example.com",
                "device_model": "Pixel 8",
                "estimated_cost": "99",
            },
        )
    assert result.requests > 0
    assert (result.errors, result.timeouts) == (0, 0)  # every answer a 201
    # closing(): sqlite3's own `with` ends a transaction, but leaves the connection open.
    with closing(sqlite3.connect(database)) as connection:
        (created,) = connection.execute("SELECT count(*) FROM tickets").fetchone()
    assert created >= result.requests  # wrk leaves out the answers still in flight at the end


@pytest.fixture
def silent_server() -> Iterator[str]:
    """A server that accepts connections and never answers, until the test ends."""
    listener = socket.create_server(("127.0.0.1", 0))
    accepted: list[socket.socket] = []

    def accept_forever() -> None:
        while True:
            try:
                accepted.append(listener.accept()[0])
            except OSError:  # the listener was closed: the test is over
                return

    thread = threading.Thread(target=accept_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{listener.getsockname()[1]}/tickets"
    listener.close()
    for connection in accepted:
        connection.close()


def test_asyncio_client_counts_unanswered_requests_as_timeouts(silent_server: str) -> None:
    result = harness.measure(
        silent_server, concurrency=3, duration=0.5, timeout=0.5, tool="asyncio"
    )
    assert result.requests == 0
    assert result.timeouts >= 3
    assert result.p99_ms is None


RUN = harness.LoadResult(
    tool="wrk", url="http://127.0.0.1/", concurrency=10, duration_s=5.0, requests=500,
    requests_per_second=100.0, p50_ms=10.0, p90_ms=20.0, p99_ms=30.0, max_ms=40.0,
    errors=0, timeouts=0,
)  # fmt: skip


def test_median_run_is_the_middle_throughput_with_its_own_latencies() -> None:
    runs = [replace(RUN, requests_per_second=rps, p99_ms=rps / 10) for rps in (300.0, 100.0, 200.0)]
    median = harness.median_run(runs)
    assert (median.requests_per_second, median.p99_ms) == (200.0, 20.0)


def test_table_shows_a_run_that_answered_nothing_as_such() -> None:
    dead = replace(RUN, requests=0, requests_per_second=0.0, p50_ms=None, p99_ms=None)
    table = harness.markdown_table({"blocking": [dead]})
    assert "| blocking | 10 | 0 | 0.0 | — | — | 0 | 0 |" in table


def test_saved_results_read_back_the_same() -> None:
    runs = {"def + Session": [RUN]}
    assert harness.runs_from_dicts(harness.runs_as_dicts(runs)) == runs
