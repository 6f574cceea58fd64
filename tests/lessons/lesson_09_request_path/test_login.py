"""Signing in: a token for the right password, 429 with Retry-After past the throttle's limit,
and password work bounded to `password_threads` checks at once, whatever the flood, on threads
that live as long as the app."""

from __future__ import annotations

import asyncio
from collections import Counter
from datetime import datetime, timedelta

import httpx2
import jwt
import pytest
from fastapi.testclient import TestClient

from lessons.lesson_09_request_path.config import Settings
from lessons.lesson_09_request_path.db import utc_now
from lessons.lesson_09_request_path.main import create_app
from lessons.lesson_09_request_path.models import Role
from lessons.lesson_09_request_path.security import (
    AUDIENCE,
    Passwords,
    check_password,
    decode_access_token,
)

# The password threads live as long as the app: lesson 11 and the final app keep this.
from tests.behaviours.password_threads import (  # noqa: F401
    test_an_app_started_again_checks_passwords_again,
    test_the_password_threads_stop_when_the_app_stops,
)
from tests.lessons.lesson_09_request_path.conftest import (
    PASSWORD,
    TECHNICIAN_EMAIL,
    TEST_SECRET_KEY,
    TOKEN_URL,
    HeldWork,
    until,
)
from tests.support.asgi import started_client

ATTEMPTS = 3
WINDOW = timedelta(minutes=5)
INVALID_GRANT = {"error": "invalid_grant", "detail": "Incorrect email or password"}

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
    monkeypatch.setattr("lessons.lesson_09_request_path.services.logins.utc_now", clock)
    return clock


@pytest.fixture
def checked(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The passwords checked, in order."""
    passwords: list[str] = []

    def spy(password: str, password_hash: str) -> tuple[bool, str | None]:
        passwords.append(password)
        return check_password(password, password_hash)

    monkeypatch.setattr("lessons.lesson_09_request_path.security.check_password", spy)
    return passwords


def log_in(client: TestClient, email: str, password: str) -> httpx2.Response:
    return client.post(TOKEN_URL, data={"username": email, "password": password})


def test_the_right_password_gets_a_bearer_token_naming_the_role(
    client: TestClient, settings: Settings
) -> None:
    response = log_in(client, TECHNICIAN_EMAIL.upper(), PASSWORD)  # any case
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "no-store"
    body = response.json()
    assert (body["token_type"], body["expires_in"]) == ("bearer", 30 * 60)
    principal = decode_access_token(body["access_token"], secret_key=TEST_SECRET_KEY)
    assert principal.role is Role.TECHNICIAN
    claims = jwt.decode(body["access_token"], TEST_SECRET_KEY, ["HS256"], audience=AUDIENCE)
    assert claims["exp"] - claims["iat"] == settings.access_token_minutes * 60


def test_a_wrong_password_and_an_unknown_email_get_the_same_400_and_the_same_work(
    client: TestClient, checked: list[str]
) -> None:
    wrong = log_in(client, TECHNICIAN_EMAIL, "wrong password")
    unknown = log_in(client, "who@example.com", "unknown email")
    assert wrong.status_code == unknown.status_code == 400
    assert wrong.json() == unknown.json() == INVALID_GRANT
    assert checked == ["wrong password", "unknown email"]  # a password check for each


def test_a_failed_sign_in_is_logged_with_the_email_and_never_the_password(
    client: TestClient, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level("WARNING", logger="lessons.lesson_09_request_path")
    log_in(client, TECHNICIAN_EMAIL, "a wrong password")
    assert f"Failed sign-in for '{TECHNICIAN_EMAIL}'" in caplog.text
    assert "a wrong password" not in caplog.text  # one typo away from the real one


def test_after_the_limit_even_the_right_password_gets_429_with_retry_after(
    client: TestClient, clock: Clock, checked: list[str]
) -> None:
    statuses = [log_in(client, TECHNICIAN_EMAIL, "wrong").status_code for _ in range(ATTEMPTS)]
    assert statuses == [400] * ATTEMPTS
    clock.now += timedelta(seconds=100)
    checked.clear()
    refused = log_in(client, TECHNICIAN_EMAIL, PASSWORD)
    assert refused.status_code == 429
    assert refused.headers["Retry-After"] == str(WINDOW.seconds - 100)
    assert "Too many sign-in attempts" in refused.json()["detail"]
    assert checked == []  # a 429 costs no password check


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
    def answers(email: str) -> list[tuple[int, str, str | None]]:
        responses = [log_in(client, email, "wrong") for _ in range(ATTEMPTS + 2)]
        return [(r.status_code, r.text, r.headers.get("Retry-After")) for r in responses]

    assert answers("nobody@example.com") == answers(TECHNICIAN_EMAIL)


def test_a_successful_login_starts_the_count_again(client: TestClient, clock: Clock) -> None:
    for _ in range(ATTEMPTS - 1):
        log_in(client, TECHNICIAN_EMAIL, "wrong")
    assert log_in(client, TECHNICIAN_EMAIL, PASSWORD).status_code == 200
    statuses = [log_in(client, TECHNICIAN_EMAIL, "wrong").status_code for _ in range(ATTEMPTS)]
    assert statuses == [400] * ATTEMPTS


def test_simultaneous_attempts_on_two_apps_share_one_limit(
    settings: Settings, checked: list[str]
) -> None:
    """The count lives in the database and is charged before the check: 20 attempts at once,
    over two apps (two processes, or replicas) on one database, get ATTEMPTS password checks."""
    replicas = [create_app(settings), create_app(settings)]
    form = {"username": TECHNICIAN_EMAIL, "password": "wrong"}

    async def twenty_attempts() -> list[int]:
        async with started_client(replicas[0]) as one, started_client(replicas[1]) as two:
            clients = [one, two]
            responses = await asyncio.gather(
                *(clients[i % 2].post(TOKEN_URL, data=form) for i in range(20))
            )
        return [response.status_code for response in responses]

    statuses = asyncio.run(twenty_attempts())
    assert Counter(statuses) == {400: ATTEMPTS, 429: 20 - ATTEMPTS}
    assert len(checked) == ATTEMPTS


# --- password work, bounded -------------------------------------------------------------------


@pytest.mark.parametrize("password_threads", [1, 2])
def test_at_most_password_threads_checks_run_at_once_and_the_rest_wait(
    settings: Settings, monkeypatch: pytest.MonkeyPatch, password_threads: int
) -> None:
    app = create_app(settings.model_copy(update={"password_threads": password_threads}))
    held = HeldWork()
    monkeypatch.setattr(
        "lessons.lesson_09_request_path.security.check_password", held.hold(check_password)
    )
    asked = 0  # logins that got as far as asking for their password check

    def count_checks(passwords: Passwords) -> None:
        check = passwords.check

        async def counted(password: str, password_hash: str | None) -> tuple[bool, str | None]:
            nonlocal asked
            asked += 1
            return await check(password, password_hash)

        monkeypatch.setattr(passwords, "check", counted)

    # A real account's hash and, for unknown emails, the dummy one; no email throttled.
    emails = [TECHNICIAN_EMAIL] * ATTEMPTS + [f"nobody{i}@example.com" for i in range(7)]
    forms = [{"username": email, "password": "wrong"} for email in emails]

    async def ten_logins() -> list[int]:
        async with started_client(app) as client:
            count_checks(app.state.passwords)  # the lifespan has made them
            sent = [asyncio.create_task(client.post(TOKEN_URL, data=form)) for form in forms]
            try:
                await until(
                    lambda: asked == len(forms) and held.running == password_threads,
                    "every login checking its password or waiting to",
                )
                await asyncio.sleep(0.05)  # time enough for a thread too many to start one
                assert held.running == password_threads
            finally:
                held.released.set()
            return [response.status_code for response in await asyncio.gather(*sent)]

    assert asyncio.run(ten_logins()) == [400] * len(forms)
    assert held.most == password_threads
