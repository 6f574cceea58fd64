"""Lesson 05's round-trip behaviours, kept by every lesson with a database.

What the API answers after a ticket went to the database and came back: each read below
uses a new session, so the values are loaded from storage, not from the object just written.
"""

from collections.abc import Callable
from datetime import datetime, timedelta
from decimal import Decimal
from typing import Any

import pytest
from fastapi.testclient import TestClient


def test_timestamp_read_back_from_the_database_is_in_utc(
    client: TestClient, tickets_path: str, valid_ticket: dict[str, Any]
) -> None:
    # SQLite stores no zone: without care, this would come back naive, with no offset at all.
    ticket_id = client.post(tickets_path, json=valid_ticket).json()["id"]
    read_back = client.get(f"{tickets_path}/{ticket_id}").json()
    assert datetime.fromisoformat(read_back["created_at"]).utcoffset() == timedelta(0)


@pytest.mark.parametrize("cost", ["0.10", "0.01", "99999.99", "129.90"])
def test_cost_read_back_from_the_database_keeps_its_cents(
    client: TestClient, tickets_path: str, valid_ticket: dict[str, Any], cost: str
) -> None:
    created = client.post(tickets_path, json={**valid_ticket, "estimated_cost": cost}).json()
    read_back = client.get(f"{tickets_path}/{created['id']}").json()
    assert Decimal(read_back["estimated_cost"]) == Decimal(cost)


@pytest.mark.parametrize("cost", ["0.1", "129.9", "5", "0.10"])
def test_cost_answered_on_create_is_the_cost_read_back(
    client: TestClient, tickets_path: str, valid_ticket: dict[str, Any], cost: str
) -> None:
    # The column keeps two places: the POST must not answer "0.1" and the GET "0.10".
    created = client.post(tickets_path, json={**valid_ticket, "estimated_cost": cost}).json()
    read_back = client.get(f"{tickets_path}/{created['id']}").json()
    assert created["estimated_cost"] == read_back["estimated_cost"]


def test_list_is_in_the_order_tickets_were_opened(
    client: TestClient,
    tickets_path: str,
    valid_ticket: dict[str, Any],
    listed_tickets: Callable[[Any], list[dict[str, Any]]],
) -> None:
    ids = [client.post(tickets_path, json=valid_ticket).json()["id"] for _ in range(3)]
    listed = listed_tickets(client.get(tickets_path).json())
    assert [ticket["id"] for ticket in listed] == ids
