"""The few API calls the container tests make: sign in, add a technician, file and read a ticket."""

from __future__ import annotations

from typing import Any

import httpx2

ADMIN_EMAIL = "admin@example.com"
ADMIN_PASSWORD = "container admin password"
TECHNICIAN_PASSWORD = "container technician password"
TICKET = {
    "customer_email": "ada@example.com",
    "device_model": "Pixel 8",
    "estimated_cost": "129.99",
}


def admin_environment() -> list[str]:
    """`-e` flags that make the app create its first admin at start-up."""
    return [
        "-e",
        f"REPAIRDESK_ADMIN_EMAIL={ADMIN_EMAIL}",
        "-e",
        f"REPAIRDESK_ADMIN_PASSWORD={ADMIN_PASSWORD}",
    ]


def sign_in(base_url: str, email: str, password: str) -> dict[str, str]:
    """The Authorization header of a fresh access token."""
    response = httpx2.post(
        f"{base_url}/api/v1/auth/token", data={"username": email, "password": password}, timeout=10
    )
    assert response.status_code == 200, response.text
    return {"Authorization": f"Bearer {response.json()['access_token']}"}


def technician(base_url: str, email: str) -> dict[str, str]:
    """Create a technician as the admin, then sign in as that technician."""
    admin = sign_in(base_url, ADMIN_EMAIL, ADMIN_PASSWORD)
    response = httpx2.post(
        f"{base_url}/api/v1/users",
        json={"email": email, "password": TECHNICIAN_PASSWORD, "role": "technician"},
        headers=admin,
        timeout=10,
    )
    assert response.status_code == 201, response.text
    return sign_in(base_url, email, TECHNICIAN_PASSWORD)


def create_ticket(base_url: str, headers: dict[str, str]) -> dict[str, Any]:
    response = httpx2.post(f"{base_url}/api/v1/tickets", json=TICKET, headers=headers, timeout=10)
    assert response.status_code == 201, response.text
    ticket: dict[str, Any] = response.json()
    return ticket


def read_ticket(base_url: str, headers: dict[str, str], ticket_id: int) -> httpx2.Response:
    return httpx2.get(f"{base_url}/api/v1/tickets/{ticket_id}", headers=headers, timeout=10)
