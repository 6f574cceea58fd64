"""The ticket life cycle through the API: allowed moves answer 200, others 409 or 422."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient

Headers = dict[str, str]
HAPPY_PATH = ["diagnosing", "repairing", "ready", "collected"]


def move(client: TestClient, headers: Headers, ticket_id: int, to: str) -> Any:
    return client.post(f"/api/v1/tickets/{ticket_id}/transitions", json={"to": to}, headers=headers)


def test_a_ticket_walks_the_happy_path_to_collected(
    client: TestClient, tech_headers: Headers, ticket: dict[str, Any]
) -> None:
    for status in HAPPY_PATH:
        response = move(client, tech_headers, ticket["id"], status)
        assert response.status_code == 200
        assert response.json()["status"] == status


@pytest.mark.parametrize("steps", [0, 1, 2, 3])
def test_any_open_ticket_can_be_cancelled(
    client: TestClient, tech_headers: Headers, ticket: dict[str, Any], steps: int
) -> None:
    for status in HAPPY_PATH[:steps]:
        move(client, tech_headers, ticket["id"], status)
    assert move(client, tech_headers, ticket["id"], "cancelled").json()["status"] == "cancelled"


def test_skipping_a_step_is_409_naming_current_and_allowed(
    client: TestClient, tech_headers: Headers, ticket: dict[str, Any]
) -> None:
    response = move(client, tech_headers, ticket["id"], "ready")
    assert response.status_code == 409
    assert response.json() == {
        "detail": "Cannot move a ticket from 'received' to 'ready'; "
        "allowed next statuses from 'received': 'diagnosing', 'cancelled'."
    }


def test_a_refused_transition_leaves_the_ticket_unchanged(
    client: TestClient, tech_headers: Headers, ticket: dict[str, Any]
) -> None:
    move(client, tech_headers, ticket["id"], "collected")
    after = client.get(f"/api/v1/tickets/{ticket['id']}", headers=tech_headers).json()
    assert after == ticket


def test_a_collected_ticket_cannot_be_cancelled(
    client: TestClient, tech_headers: Headers, ticket: dict[str, Any]
) -> None:
    for status in HAPPY_PATH:
        move(client, tech_headers, ticket["id"], status)
    response = move(client, tech_headers, ticket["id"], "cancelled")
    assert response.status_code == 409
    assert "none (it is final)" in response.json()["detail"]


def test_an_unknown_status_is_422(
    client: TestClient, tech_headers: Headers, ticket: dict[str, Any]
) -> None:
    response = move(client, tech_headers, ticket["id"], "teleported")
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == ["body", "to"]


def test_moving_a_missing_ticket_is_404(client: TestClient, tech_headers: Headers) -> None:
    assert move(client, tech_headers, 4242, "diagnosing").status_code == 404
