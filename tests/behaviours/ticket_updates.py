"""Lesson 05's PATCH: only the fields sent change, by the rules a new ticket follows.

Kept by every later lesson and the final app.
"""

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


def test_only_the_fields_sent_change(client: TestClient, tickets_path: str, opened: Ticket) -> None:
    response = client.patch(f"{tickets_path}/{opened['id']}", json={"estimated_cost": "99.5"})
    assert response.status_code == 200, response.text
    updated = response.json()
    assert updated["estimated_cost"] == "99.50"
    unchanged = {key: value for key, value in updated.items() if key != "estimated_cost"}
    assert unchanged == {
        key: value for key, value in opened.items() if key not in ("estimated_cost", "updated_at")
    } | {"updated_at": updated["updated_at"]}
    assert client.get(f"{tickets_path}/{opened['id']}").json() == updated


def test_an_update_refreshes_updated_at_and_keeps_created_at(
    client: TestClient, tickets_path: str, opened: Ticket
) -> None:
    updated = client.patch(f"{tickets_path}/{opened['id']}", json={"device_model": "Pixel 9"})
    assert updated.json()["updated_at"] > opened["updated_at"]
    assert updated.json()["created_at"] == opened["created_at"]


def test_notes_null_clears_the_notes(client: TestClient, tickets_path: str, opened: Ticket) -> None:
    response = client.patch(f"{tickets_path}/{opened['id']}", json={"notes": None})
    assert response.status_code == 200, response.text
    assert response.json()["notes"] is None


def test_an_empty_body_changes_nothing(
    client: TestClient, tickets_path: str, opened: Ticket
) -> None:
    response = client.patch(f"{tickets_path}/{opened['id']}", json={})
    assert response.status_code == 200, response.text
    assert response.json()["device_model"] == opened["device_model"]
    assert response.json()["notes"] == opened["notes"]


@pytest.mark.parametrize("field", ["customer_email", "device_model", "estimated_cost"])
def test_null_for_a_required_field_is_a_422(
    client: TestClient, tickets_path: str, opened: Ticket, field: str
) -> None:
    response = client.patch(f"{tickets_path}/{opened['id']}", json={field: None})
    assert response.status_code == 422
    assert [error["loc"] for error in response.json()["detail"]] == [["body", field]]


def test_an_update_follows_the_rules_of_a_new_ticket(
    client: TestClient, tickets_path: str, opened: Ticket
) -> None:
    response = client.patch(f"{tickets_path}/{opened['id']}", json={"device_model": "x"})
    assert response.status_code == 422
    assert client.get(f"{tickets_path}/{opened['id']}").json() == opened


def test_the_status_is_not_edited_but_moved(
    client: TestClient, tickets_path: str, opened: Ticket
) -> None:
    response = client.patch(f"{tickets_path}/{opened['id']}", json={"status": "ready"})
    assert response.status_code == 422
    [error] = response.json()["detail"]
    assert error["type"] == "extra_forbidden"


def test_updating_an_unknown_ticket_is_a_404(client: TestClient, tickets_path: str) -> None:
    response = client.patch(f"{tickets_path}/999999", json={"notes": "hello"})
    assert response.status_code == 404
