"""Decision 5, the `Depends` pattern stays: dependencies give settings, database, principal.

They are cheap now (`async def`, no I/O), and they are still the seams a test replaces through
`app.dependency_overrides`, as in lesson 04: each test here swaps one of them.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

from fastapi import FastAPI
from fastapi.testclient import TestClient

from lessons.lesson_09_request_path.api.deps import get_database, get_principal, get_settings
from lessons.lesson_09_request_path.config import Settings
from lessons.lesson_09_request_path.models import Role, TicketStatus
from lessons.lesson_09_request_path.schemas import TicketRead
from lessons.lesson_09_request_path.security import Principal
from tests.lessons.lesson_09_request_path.conftest import (
    PASSWORD,
    TECHNICIAN_EMAIL,
    TOKEN_URL,
    USERS,
)
from tests.support.api_v1 import TICKETS

CANNED = TicketRead(
    id=7,
    tracking_code="canned-code",
    customer_email="ada@example.com",
    device_model="Pixel 8",
    estimated_cost=Decimal("10.00"),
    notes=None,
    status=TicketStatus.READY,
    created_at=datetime(2026, 1, 31, tzinfo=UTC),
    updated_at=datetime(2026, 1, 31, tzinfo=UTC),
)


class CannedDatabase:
    """Stands in for `Database`: answers every unit of work with one value, no SQL at all."""

    def __init__(self, answer: Any) -> None:
        self.answer = answer
        self.works: list[str] = []

    async def run(self, work: Callable[..., Any], /, *args: Any, **kwargs: Any) -> Any:
        self.works.append(getattr(work, "__name__", repr(work)))
        return self.answer


def test_the_principal_comes_from_a_dependency_a_test_can_replace(
    app: FastAPI, client: TestClient, technician: Principal
) -> None:
    app.dependency_overrides[get_principal] = lambda: technician
    response = client.get(f"{USERS}/me")  # no Authorization header at all
    assert (response.status_code, response.json()["email"]) == (200, TECHNICIAN_EMAIL)


def test_the_database_comes_from_a_dependency_a_test_can_replace(
    app: FastAPI, client: TestClient
) -> None:
    canned = CannedDatabase(CANNED)
    app.dependency_overrides[get_database] = lambda: canned
    app.dependency_overrides[get_principal] = lambda: Principal(user_id=1, role=Role.ADMIN)
    response = client.get(f"{TICKETS}/7")
    assert response.status_code == 200
    assert response.json() == CANNED.model_dump(mode="json")
    assert canned.works == ["checked_work"]  # the account check wraps the endpoint's work


def test_the_settings_come_from_a_dependency_a_test_can_replace(
    app: FastAPI, client: TestClient, settings: Settings, technician: Principal
) -> None:
    app.dependency_overrides[get_settings] = lambda: settings.model_copy(
        update={"access_token_minutes": 1, "login_attempts": 1}
    )
    form = {"username": TECHNICIAN_EMAIL, "password": PASSWORD}
    assert client.post(TOKEN_URL, data=form).json()["expires_in"] == 60
    wrong = {"username": TECHNICIAN_EMAIL, "password": "wrong"}
    assert client.post(TOKEN_URL, data=wrong).status_code == 400
    assert client.post(TOKEN_URL, data=wrong).status_code == 429
