"""Concurrency against real servers: simultaneous requests keep ids, codes and statuses right.

Each test drives uvicorn subprocesses (see server.py) with simultaneous requests from an
asyncio client, on SQLite and on PostgreSQL; the last test runs two replicas on one database.
"""

from __future__ import annotations

import asyncio
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx2
import pytest

from final_app.models import Role
from tests.final_app.conftest import TEST_SECRET_KEY, add_user, bearer
from tests.final_app.server import running_server

TICKET = {"customer_email": "ada@example.com", "device_model": "Pixel 8", "estimated_cost": "99"}


@pytest.fixture
def headers(database_url: str, password_hash: str) -> dict[str, str]:
    return bearer(add_user(database_url, "tech@example.com", Role.TECHNICIAN, password_hash))


@pytest.fixture
def server(database_url: str, tmp_path: Path) -> Iterator[str]:
    with running_server(database_url, TEST_SECRET_KEY, tmp_path / "server.log") as base_url:
        yield base_url


@pytest.fixture
def replicas(database_url: str, tmp_path: Path) -> Iterator[list[str]]:
    with (
        running_server(database_url, TEST_SECRET_KEY, tmp_path / "one.log") as one,
        running_server(database_url, TEST_SECRET_KEY, tmp_path / "two.log") as two,
    ):
        yield [one, two]


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
    server: str, headers: dict[str, str]
) -> None:
    responses = asyncio.run(send_all([server], 50, "POST", "/api/v1/tickets", headers, TICKET))
    assert [r.status_code for r in responses] == [201] * 50
    assert len({r.json()["id"] for r in responses}) == 50
    assert len({r.json()["tracking_code"] for r in responses}) == 50


def test_20_simultaneous_identical_transitions_let_exactly_one_win(
    server: str, headers: dict[str, str]
) -> None:
    ticket = create_ticket(server, headers)
    path = f"/api/v1/tickets/{ticket['id']}/transitions"
    responses = asyncio.run(send_all([server], 20, "POST", path, headers, {"to": "diagnosing"}))
    assert Counter(r.status_code for r in responses) == {200: 1, 409: 19}


def test_two_replicas_on_one_database_keep_the_same_guarantees(
    replicas: list[str], headers: dict[str, str]
) -> None:
    created = asyncio.run(send_all(replicas, 50, "POST", "/api/v1/tickets", headers, TICKET))
    assert len({r.json()["id"] for r in created}) == 50
    path = f"/api/v1/tickets/{created[0].json()['id']}/transitions"
    moved = asyncio.run(send_all(replicas, 20, "POST", path, headers, {"to": "cancelled"}))
    assert Counter(r.status_code for r in moved) == {200: 1, 409: 19}
