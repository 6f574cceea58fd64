"""Login throttling per email: after a few failures, 429 with Retry-After, on every replica."""

from __future__ import annotations

import asyncio
from collections import Counter
from contextlib import AsyncExitStack
from datetime import datetime, timedelta

import httpx2
import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from final_app.config import Settings
from final_app.db import utc_now
from final_app.main import create_app
from final_app.security import check_password
from tests.final_app.conftest import ADMIN_EMAIL, PASSWORD, TECHNICIAN_EMAIL
from tests.support.asgi import started_client

TOKEN_URL = "/api/v1/auth/token"
ATTEMPTS = 3
WINDOW = timedelta(minutes=5)

pytestmark = pytest.mark.usefixtures("technician")


@pytest.fixture
def settings(settings: Settings) -> Settings:
    return settings.model_copy(
        update={"login_attempts": ATTEMPTS, "login_window_seconds": WINDOW.seconds}
    )


class Clock:
    """The throttle's clock, moved by the test instead of by waiting."""

    def __init__(self) -> None:
        self.now = utc_now()

    def __call__(self) -> datetime:
        return self.now


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch) -> Clock:
    clock = Clock()
    monkeypatch.setattr("final_app.services.logins.utc_now", clock)
    return clock


def log_in(client: TestClient, email: str, password: str) -> httpx2.Response:
    return client.post(TOKEN_URL, data={"username": email, "password": password})


def test_after_the_limit_even_the_right_password_gets_429_with_retry_after(
    client: TestClient, clock: Clock
) -> None:
    assert [log_in(client, TECHNICIAN_EMAIL, "wrong").status_code for _ in range(ATTEMPTS)] == [
        400
    ] * ATTEMPTS
    clock.now += timedelta(seconds=100)
    refused = log_in(client, TECHNICIAN_EMAIL, PASSWORD)
    assert refused.status_code == 429
    assert refused.headers["Retry-After"] == str(WINDOW.seconds - 100)
    assert "Too many sign-in attempts" in refused.json()["detail"]


def test_the_account_signs_in_again_once_the_window_has_passed(
    client: TestClient, clock: Clock
) -> None:
    for _ in range(ATTEMPTS + 2):
        log_in(client, TECHNICIAN_EMAIL, "wrong")
    clock.now += WINDOW - timedelta(seconds=1)
    assert log_in(client, TECHNICIAN_EMAIL, PASSWORD).status_code == 429
    clock.now += timedelta(seconds=1)
    assert log_in(client, TECHNICIAN_EMAIL, PASSWORD).status_code == 200


def test_an_unknown_email_is_throttled_exactly_like_a_real_one(
    client: TestClient, clock: Clock
) -> None:
    """Same statuses, bodies and waits: the throttle tells nobody which emails exist."""

    def answers(email: str) -> list[tuple[int, str, str | None]]:
        responses = [log_in(client, email, "wrong") for _ in range(ATTEMPTS + 2)]
        return [(r.status_code, r.text, r.headers.get("Retry-After")) for r in responses]

    assert answers("nobody@example.com") == answers(TECHNICIAN_EMAIL)


def test_other_accounts_are_untouched(client: TestClient, admin: object, clock: Clock) -> None:
    for _ in range(ATTEMPTS + 1):
        log_in(client, TECHNICIAN_EMAIL, "wrong")
    assert log_in(client, ADMIN_EMAIL, PASSWORD).status_code == 200


def test_the_email_is_throttled_whatever_its_case(client: TestClient, clock: Clock) -> None:
    for _ in range(ATTEMPTS):
        log_in(client, TECHNICIAN_EMAIL.upper(), "wrong")
    assert log_in(client, TECHNICIAN_EMAIL, PASSWORD).status_code == 429


def test_a_successful_login_starts_the_count_again(client: TestClient, clock: Clock) -> None:
    for _ in range(ATTEMPTS - 1):
        log_in(client, TECHNICIAN_EMAIL, "wrong")
    assert log_in(client, TECHNICIAN_EMAIL, PASSWORD).status_code == 200
    statuses = [log_in(client, TECHNICIAN_EMAIL, "wrong").status_code for _ in range(ATTEMPTS)]
    assert statuses == [400] * ATTEMPTS


def count_password_checks(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """From now on, every password the server checks, in order (the real check still runs)."""
    checked: list[str] = []

    def counted(password: str, password_hash: str) -> tuple[bool, str | None]:
        checked.append(password)
        return check_password(password, password_hash)

    monkeypatch.setattr("final_app.security.check_password", counted)
    return checked


def test_a_throttled_attempt_checks_no_password(
    client: TestClient, clock: Clock, monkeypatch: pytest.MonkeyPatch
) -> None:
    """429 costs the server a database round trip, not 19 MiB and tens of milliseconds."""
    for _ in range(ATTEMPTS):
        log_in(client, TECHNICIAN_EMAIL, "wrong")
    checked = count_password_checks(monkeypatch)
    assert log_in(client, TECHNICIAN_EMAIL, PASSWORD).status_code == 429
    assert checked == []


async def wrong_logins_at_once(apps: list[FastAPI], count: int) -> list[int]:
    async with AsyncExitStack() as stack:
        clients = [await stack.enter_async_context(started_client(app)) for app in apps]
        responses = await asyncio.gather(
            *(
                clients[i % len(clients)].post(
                    TOKEN_URL, data={"username": TECHNICIAN_EMAIL, "password": "wrong"}
                )
                for i in range(count)
            )
        )
    return [response.status_code for response in responses]


def test_simultaneous_attempts_on_two_replicas_share_one_limit(
    settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The count lives in the database and is charged before the check: 20 attempts at once,
    spread over two apps on one database, get exactly ATTEMPTS password checks."""
    checked = count_password_checks(monkeypatch)
    replicas = [create_app(settings), create_app(settings)]
    statuses = asyncio.run(wrong_logins_at_once(replicas, 20))
    assert Counter(statuses) == {400: ATTEMPTS, 429: 20 - ATTEMPTS}
    assert len(checked) == ATTEMPTS
