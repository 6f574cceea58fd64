"""Concurrency against real servers: simultaneous requests keep ids, codes and statuses right.

Each test drives uvicorn subprocesses (the benchmarks' `harness.serve`) with simultaneous
requests from an asyncio client, on SQLite and on PostgreSQL; the last test runs two replicas on
one database.
"""

from __future__ import annotations

import asyncio
from collections import Counter
from collections.abc import Iterator
from contextlib import AbstractContextManager
from typing import Any

import httpx2
import pytest

from benchmarks import harness
from tests.final_app.conftest import TEST_SECRET_KEY

TICKET = {"customer_email": "ada@example.com", "device_model": "Pixel 8", "estimated_cost": "99"}


def serve(database_url: str) -> AbstractContextManager[harness.Server]:
    env = {"REPAIRDESK_DATABASE_URL": database_url, "REPAIRDESK_SECRET_KEY": TEST_SECRET_KEY}
    return harness.serve("final_app.main:app", env=env, ready_path="/health/ready")


@pytest.fixture
def server(database_url: str) -> Iterator[str]:
    with serve(database_url) as server:
        yield server.base_url


@pytest.fixture
def replicas(database_url: str) -> Iterator[list[str]]:
    with serve(database_url) as one, serve(database_url) as two:
        yield [one.base_url, two.base_url]


async def send_all(
    base_urls: list[str], count: int, method: str, path: str, headers: dict[str, str], body: Any
) -> list[httpx2.Response]:
    """`count` requests at once, spread over the servers, each on its own connection."""
    limits = httpx2.Limits(max_connections=count)
    clients = [httpx2.AsyncClient(base_url=url, limits=limits, timeout=60) for url in base_urls]
    try:
        return await asyncio.gather(
            *(
                clients[i % len(clients)].request(method, path, headers=headers, json=body)
                for i in range(count)
            )
        )
    finally:
        for client in clients:
            await client.aclose()


def create_ticket(base_url: str, headers: dict[str, str]) -> Any:
    response = httpx2.post(f"{base_url}/api/v1/tickets", json=TICKET, headers=headers, timeout=30)
    assert response.status_code == 201
    return response.json()


def test_50_simultaneous_creates_make_50_distinct_tickets(
    server: str, tech_headers: dict[str, str]
) -> None:
    responses = asyncio.run(send_all([server], 50, "POST", "/api/v1/tickets", tech_headers, TICKET))
    assert [r.status_code for r in responses] == [201] * 50
    assert len({r.json()["id"] for r in responses}) == 50
    assert len({r.json()["tracking_code"] for r in responses}) == 50


def test_20_simultaneous_identical_transitions_let_exactly_one_win(
    server: str, tech_headers: dict[str, str]
) -> None:
    ticket = create_ticket(server, tech_headers)
    path = f"/api/v1/tickets/{ticket['id']}/transitions"
    responses = asyncio.run(
        send_all([server], 20, "POST", path, tech_headers, {"to": "diagnosing"})
    )
    assert Counter(r.status_code for r in responses) == {200: 1, 409: 19}


def test_two_replicas_on_one_database_keep_the_same_guarantees(
    replicas: list[str], tech_headers: dict[str, str]
) -> None:
    created = asyncio.run(send_all(replicas, 50, "POST", "/api/v1/tickets", tech_headers, TICKET))
    assert len({r.json()["id"] for r in created}) == 50
    path = f"/api/v1/tickets/{created[0].json()['id']}/transitions"
    moved = asyncio.run(send_all(replicas, 20, "POST", path, tech_headers, {"to": "cancelled"}))
    assert Counter(r.status_code for r in moved) == {200: 1, 409: 19}
