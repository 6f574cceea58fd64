"""Lesson 08's login throttle: a handful of attempts per email and window, then a 429.

The count lives in the database, so it holds across processes, and each login charges its
attempt before any password is checked (OWASP ASVS 5, V6.3: anti-automation).
"""

from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import create_engine, update
from sqlalchemy.orm import Session

from lessons.lesson_08_security import security
from lessons.lesson_08_security.config import Settings
from lessons.lesson_08_security.logins import Throttle, TooManyAttemptsError, charge_attempt
from lessons.lesson_08_security.main import create_app
from lessons.lesson_08_security.models import LoginAttempt
from tests.lessons.lesson_08_security.conftest import (
    ADMIN,
    ADMIN_PASSWORD,
    TECHNICIAN,
    TECHNICIAN_PASSWORD,
)
from tests.lessons.lesson_08_security.test_login import log_in

ATTEMPTS, WINDOW = 5, 300  # the settings' defaults: 5 logins per email every 5 minutes


def fail_five_times(client: TestClient, email: str) -> list[int]:
    return [log_in(client, email, "a guess").status_code for _ in range(ATTEMPTS)]


def test_the_attempt_after_five_failures_is_a_429_saying_when_to_retry(
    anonymous_client: TestClient,
) -> None:
    assert fail_five_times(anonymous_client, ADMIN) == [400] * ATTEMPTS
    response = log_in(anonymous_client, ADMIN, "a guess")
    assert response.status_code == 429
    assert WINDOW - 5 <= int(response.headers["Retry-After"]) <= WINDOW  # seconds
    assert response.json()["detail"].startswith("Too many sign-in attempts")


def test_a_throttled_email_is_refused_even_the_right_password(
    anonymous_client: TestClient,
) -> None:
    fail_five_times(anonymous_client, ADMIN)
    assert log_in(anonymous_client, ADMIN, ADMIN_PASSWORD).status_code == 429


def test_an_unknown_email_is_throttled_exactly_like_a_known_one(
    anonymous_client: TestClient,
) -> None:
    # A different answer, or a different count, would tell an attacker which emails have an account.
    known = [*fail_five_times(anonymous_client, ADMIN), log_in(anonymous_client, ADMIN, "x")]
    unknown = [
        *fail_five_times(anonymous_client, "mallory@example.com"),
        log_in(anonymous_client, "mallory@example.com", "x"),
    ]
    assert known[:-1] == unknown[:-1] == [400] * ATTEMPTS
    assert unknown[-1].status_code == known[-1].status_code == 429
    assert unknown[-1].json() == known[-1].json()


def test_other_emails_are_not_throttled(anonymous_client: TestClient) -> None:
    fail_five_times(anonymous_client, ADMIN)
    assert log_in(anonymous_client, TECHNICIAN, TECHNICIAN_PASSWORD).status_code == 200


def test_a_successful_login_starts_the_count_again(anonymous_client: TestClient) -> None:
    for _ in range(ATTEMPTS - 1):
        log_in(anonymous_client, ADMIN, "a guess")
    assert log_in(anonymous_client, ADMIN, ADMIN_PASSWORD).status_code == 200
    assert fail_five_times(anonymous_client, ADMIN) == [400] * ATTEMPTS


def test_a_throttled_login_costs_no_password_check(
    anonymous_client: TestClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    fail_five_times(anonymous_client, ADMIN)
    checks: list[str] = []
    monkeypatch.setattr(security, "check_password", lambda *args: checks.append("!"))
    assert log_in(anonymous_client, ADMIN, ADMIN_PASSWORD).status_code == 429
    assert checks == []


def move_window_back(settings: Settings, email: str, seconds: int) -> None:
    """Make the email's window look `seconds` older, instead of waiting for it."""
    engine = create_engine(settings.database_url.get_secret_value())
    with Session(engine) as session, session.begin():
        started = datetime.now(UTC) - timedelta(seconds=seconds)
        session.execute(
            update(LoginAttempt)
            .where(LoginAttempt.email == email)
            .values(window_started_at=started)
        )
    engine.dispose()


def test_retry_after_counts_down_to_the_end_of_the_window(
    anonymous_client: TestClient, settings: Settings
) -> None:
    fail_five_times(anonymous_client, ADMIN)
    move_window_back(settings, ADMIN, 200)
    response = log_in(anonymous_client, ADMIN, ADMIN_PASSWORD)
    assert response.status_code == 429
    assert 95 <= int(response.headers["Retry-After"]) <= 100


def test_once_the_window_is_over_the_right_password_works_again(
    anonymous_client: TestClient, settings: Settings
) -> None:
    fail_five_times(anonymous_client, ADMIN)
    move_window_back(settings, ADMIN, WINDOW)
    assert log_in(anonymous_client, ADMIN, ADMIN_PASSWORD).status_code == 200


def test_the_limit_and_window_are_settings(settings: Settings) -> None:
    app = create_app(settings.model_copy(update={"login_attempts": 2, "login_window_seconds": 60}))
    with TestClient(app) as client:
        assert [log_in(client, ADMIN, "a guess").status_code for _ in range(3)] == [400, 400, 429]
        assert int(log_in(client, ADMIN, "a guess").headers["Retry-After"]) <= 60


def test_the_count_holds_across_processes(settings: Settings) -> None:
    # Two apps on one database, as two processes or replicas would be: one count between them.
    with TestClient(create_app(settings)) as first, TestClient(create_app(settings)) as second:
        for client in [first, second, first, second, first]:
            assert log_in(client, ADMIN, "a guess").status_code == 400
        assert log_in(second, ADMIN, ADMIN_PASSWORD).status_code == 429


def test_concurrent_attempts_cannot_pass_the_limit(settings: Settings) -> None:
    # The upsert counts in the database, atomically: no two attempts read the same count.
    throttle = Throttle(limit=ATTEMPTS, window=timedelta(seconds=WINDOW))
    engine = create_engine(settings.database_url.get_secret_value())

    def attempt(_: int) -> bool:
        with Session(engine) as session, session.begin():
            try:
                charge_attempt(session, ADMIN, throttle)
            except TooManyAttemptsError:
                return False
            return True

    with ThreadPoolExecutor(8) as pool:
        allowed = list(pool.map(attempt, range(20)))
    engine.dispose()
    assert allowed.count(True) == ATTEMPTS
