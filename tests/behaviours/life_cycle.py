"""Lesson 05's ticket life cycle: received → diagnosing → repairing → ready → collected, or
cancelled from any status but the final ones; every other move is a 409 naming the allowed ones.

Kept by every later lesson and the final app.
"""

from typing import Any

import pytest
from fastapi.testclient import TestClient

Ticket = dict[str, Any]
LIFE_CYCLE = ["diagnosing", "repairing", "ready", "collected"]


@pytest.fixture
def opened(client: TestClient, tickets_path: str, valid_ticket: Ticket) -> Ticket:
    response = client.post(tickets_path, json=valid_ticket)
    assert response.status_code == 201, response.text
    body: Ticket = response.json()
    return body


def move(client: TestClient, tickets_path: str, ticket_id: int, to: str) -> Any:
    return client.post(f"{tickets_path}/{ticket_id}/transitions", json={"to": to})


def test_a_new_ticket_is_received(opened: Ticket) -> None:
    assert opened["status"] == "received"


def test_a_ticket_moves_through_its_whole_life_cycle(
    client: TestClient, tickets_path: str, opened: Ticket
) -> None:
    for status in LIFE_CYCLE:
        response = move(client, tickets_path, opened["id"], status)
        assert response.status_code == 200, response.text
        assert response.json()["status"] == status
    assert client.get(f"{tickets_path}/{opened['id']}").json()["status"] == "collected"


def test_a_skipped_step_is_a_409_naming_the_allowed_next_statuses(
    client: TestClient, tickets_path: str, opened: Ticket
) -> None:
    response = move(client, tickets_path, opened["id"], "ready")
    assert response.status_code == 409
    assert response.json() == {
        "detail": "Cannot move a ticket from 'received' to 'ready'; "
        "allowed next statuses from 'received': 'diagnosing', 'cancelled'."
    }


def test_a_refused_move_leaves_the_ticket_unchanged(
    client: TestClient, tickets_path: str, opened: Ticket
) -> None:
    assert move(client, tickets_path, opened["id"], "collected").status_code == 409
    assert client.get(f"{tickets_path}/{opened['id']}").json() == opened


def test_moving_to_the_current_status_is_a_409(
    client: TestClient, tickets_path: str, opened: Ticket
) -> None:
    assert move(client, tickets_path, opened["id"], "received").status_code == 409


@pytest.mark.parametrize("steps", range(len(LIFE_CYCLE)))  # from received up to ready
def test_a_ticket_not_yet_collected_can_be_cancelled(
    client: TestClient, tickets_path: str, opened: Ticket, steps: int
) -> None:
    for status in LIFE_CYCLE[:steps]:
        assert move(client, tickets_path, opened["id"], status).status_code == 200
    response = move(client, tickets_path, opened["id"], "cancelled")
    assert response.status_code == 200, response.text
    assert response.json()["status"] == "cancelled"


@pytest.mark.parametrize(
    ("final", "to"),
    [("collected", "cancelled"), ("collected", "diagnosing"), ("cancelled", "diagnosing")],
)
def test_a_final_status_allows_no_move(
    client: TestClient, tickets_path: str, opened: Ticket, final: str, to: str
) -> None:
    for status in LIFE_CYCLE if final == "collected" else ["cancelled"]:
        assert move(client, tickets_path, opened["id"], status).status_code == 200
    response = move(client, tickets_path, opened["id"], to)
    assert response.status_code == 409
    assert response.json()["detail"].endswith(f"from '{final}': none (it is final).")


def test_a_move_refreshes_updated_at_and_keeps_created_at(
    client: TestClient, tickets_path: str, opened: Ticket
) -> None:
    moved = move(client, tickets_path, opened["id"], "diagnosing").json()
    assert moved["updated_at"] > opened["updated_at"]
    assert moved["created_at"] == opened["created_at"]


def test_moving_an_unknown_ticket_is_a_404(client: TestClient, tickets_path: str) -> None:
    assert move(client, tickets_path, 999_999, "diagnosing").status_code == 404


def test_an_unknown_status_is_a_422_naming_the_field(
    client: TestClient, tickets_path: str, opened: Ticket
) -> None:
    response = move(client, tickets_path, opened["id"], "fixed")
    assert response.status_code == 422
    [error] = response.json()["detail"]
    assert error["loc"] == ["body", "to"]


def test_the_list_filters_by_any_status_of_the_life_cycle(
    client: TestClient,
    tickets_path: str,
    opened: Ticket,
    valid_ticket: Ticket,
    listed_tickets: Any,
) -> None:
    client.post(tickets_path, json=valid_ticket)  # another, still received
    move(client, tickets_path, opened["id"], "diagnosing")
    response = client.get(tickets_path, params={"status": "diagnosing"})
    assert [ticket["id"] for ticket in listed_tickets(response.json())] == [opened["id"]]
