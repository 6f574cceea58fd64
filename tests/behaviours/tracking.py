"""Lesson 05's tracking code: a customer follows a repair with it, and sees nothing else.

Kept by every later lesson and the final app; `tracking_path` (tests/conftest.py) says where
the lookup is.
"""

import re
from typing import Any

import pytest
from fastapi.testclient import TestClient

Ticket = dict[str, Any]


@pytest.fixture
def opened(client: TestClient, tickets_path: str, valid_ticket: Ticket) -> Ticket:
    response = client.post(tickets_path, json=valid_ticket)
    assert response.status_code == 201, response.text
    body: Ticket = response.json()
    return body


def test_a_new_ticket_has_a_url_safe_tracking_code_of_96_bits(opened: Ticket) -> None:
    # 16 base64url characters: 96 random bits.
    assert re.fullmatch(r"[A-Za-z0-9_-]{16}", opened["tracking_code"])


def test_no_two_tickets_share_a_tracking_code(
    client: TestClient, tickets_path: str, valid_ticket: Ticket
) -> None:
    codes = {client.post(tickets_path, json=valid_ticket).json()["tracking_code"] for _ in range(5)}
    assert len(codes) == 5


def test_tracking_shows_the_status_the_device_and_the_last_update_only(
    anonymous_client: TestClient, tracking_path: str, opened: Ticket
) -> None:
    response = anonymous_client.get(f"{tracking_path}/{opened['tracking_code']}")
    assert response.status_code == 200, response.text
    assert response.json() == {
        "status": "received",
        "device_model": opened["device_model"],
        "updated_at": opened["updated_at"],
    }


def test_tracking_follows_the_ticket_along_its_life_cycle(
    client: TestClient, tickets_path: str, tracking_path: str, opened: Ticket
) -> None:
    client.post(f"{tickets_path}/{opened['id']}/transitions", json={"to": "diagnosing"})
    tracked = client.get(f"{tracking_path}/{opened['tracking_code']}").json()
    assert tracked["status"] == "diagnosing"


def test_an_unknown_tracking_code_is_a_404(
    anonymous_client: TestClient, tracking_path: str, opened: Ticket
) -> None:
    response = anonymous_client.get(f"{tracking_path}/{'A' * 16}")
    assert response.status_code == 404
    assert response.json() == {"detail": "No ticket with this tracking code"}


def test_a_ticket_id_is_not_a_tracking_code(
    anonymous_client: TestClient, tracking_path: str, opened: Ticket
) -> None:
    assert anonymous_client.get(f"{tracking_path}/{opened['id']}").status_code == 404


def test_a_tracking_code_that_cannot_exist_is_a_422(
    anonymous_client: TestClient, tracking_path: str
) -> None:
    assert anonymous_client.get(f"{tracking_path}/not%20a%20code").status_code == 422
