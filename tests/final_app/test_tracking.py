"""The public tracking page: what a customer may see with the code, and nothing more."""

from __future__ import annotations

from typing import Any

from fastapi.testclient import TestClient


def test_tracking_shows_status_device_and_last_update_only(
    client: TestClient, ticket: dict[str, Any]
) -> None:
    response = client.get(f"/api/v1/track/{ticket['tracking_code']}")  # no token
    assert response.status_code == 200
    assert response.json() == {
        "status": "received",
        "device_model": ticket["device_model"],
        "updated_at": ticket["updated_at"],
    }


def test_tracking_follows_the_status(
    client: TestClient, tech_headers: dict[str, str], ticket: dict[str, Any]
) -> None:
    client.post(
        f"/api/v1/tickets/{ticket['id']}/transitions",
        json={"to": "diagnosing"},
        headers=tech_headers,
    )
    assert client.get(f"/api/v1/track/{ticket['tracking_code']}").json()["status"] == "diagnosing"


def test_an_unknown_code_is_404(client: TestClient) -> None:
    response = client.get("/api/v1/track/AAAAAAAAAAAAAAAA")
    assert response.status_code == 404
    assert response.json() == {"detail": "No ticket with this tracking code"}


def test_a_ticket_id_is_not_a_tracking_code(client: TestClient, ticket: dict[str, Any]) -> None:
    assert client.get(f"/api/v1/track/{ticket['id']}").status_code == 404
