"""Signing in: a per-email throttle that every replica shares, and what a login reads and writes.

Each attempt is *charged* before its password is checked, in one atomic statement, so even a
burst of concurrent attempts across replicas gets at most `limit` password checks per window.
A successful login clears the email's count.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import timedelta

from pydantic import TypeAdapter, ValidationError
from sqlalchemy import case, delete, literal, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from .db import UTCDateTime, utc_now
from .models import LoginAttempt, User
from .schemas import Email, UserRead

_EMAIL: TypeAdapter[str] = TypeAdapter(Email)


class TooManyAttemptsError(Exception):
    """This email has used its attempts for the current window (HTTP 429)."""

    def __init__(self, retry_after: int) -> None:
        super().__init__(
            f"Too many sign-in attempts for this account; try again in {retry_after} s"
        )
        self.retry_after = retry_after


@dataclass(frozen=True, slots=True)
class Throttle:
    """At most `limit` attempts per email in each `window`."""

    limit: int
    window: timedelta


@dataclass(frozen=True, slots=True)
class Login:
    """A user and their password hash: what checking a password needs from the database."""

    user: UserRead
    password_hash: str


# --8<-- [start:charge]
def charge_attempt(session: Session, email: str, throttle: Throttle) -> None:
    """Count one attempt for `email`; raise `TooManyAttemptsError` past the window's limit."""
    now = utc_now()
    window_over = LoginAttempt.window_started_at <= now - throttle.window
    # ON CONFLICT ... DO UPDATE: insert the first attempt or count the next, atomically, on
    # SQLite and on PostgreSQL alike (each has its own spelling of the statement).
    dialect = postgresql if session.get_bind().dialect.name == "postgresql" else sqlite
    count = (
        dialect.insert(LoginAttempt)
        .values(email=email, attempts=1, window_started_at=now)
        .on_conflict_do_update(
            index_elements=[LoginAttempt.email],
            set_={
                "attempts": case((window_over, 1), else_=LoginAttempt.attempts + 1),
                "window_started_at": case(
                    (window_over, literal(now, UTCDateTime)), else_=LoginAttempt.window_started_at
                ),
            },
        )
        .returning(LoginAttempt.attempts, LoginAttempt.window_started_at)
    )
    attempts, started = session.execute(count).one()
    if attempts > throttle.limit:
        wait = started + throttle.window - now
        raise TooManyAttemptsError(retry_after=max(1, math.ceil(wait.total_seconds())))


# --8<-- [end:charge]


def begin_login(session: Session, username: str, throttle: Throttle) -> Login | None:
    """Charge the attempt, then read the account whose email `username` is (None if none).

    A username that is no email names nobody: nothing to throttle, nothing to read.
    """
    try:
        email = _EMAIL.validate_python(username)
    except ValidationError:
        return None
    charge_attempt(session, email, throttle)
    forget_expired_attempts(session, throttle)
    user = session.scalar(select(User).where(User.email == email))
    return None if user is None else Login(UserRead.model_validate(user), user.password_hash)


def forget_expired_attempts(session: Session, throttle: Throttle) -> None:
    """Drop the counts of windows that are over: the table holds only the last few minutes."""
    session.execute(
        delete(LoginAttempt).where(LoginAttempt.window_started_at <= utc_now() - throttle.window)
    )


def login_succeeded(session: Session, user: UserRead, new_hash: str | None) -> None:
    """Clear the email's count and store a rehashed password (see `security.check_password`)."""
    session.execute(delete(LoginAttempt).where(LoginAttempt.email == user.email))
    if new_hash is not None:
        account = session.get_one(User, user.id)
        account.password_hash = new_hash
