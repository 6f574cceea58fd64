"""Login throttling per account, counted in the database so that it holds across processes.

Every login first charges one attempt to the username it names, in one atomic statement,
before any password is checked: concurrent guesses cannot slip past the limit, and a guess
costs the attacker an attempt whether or not the username exists (OWASP ASVS 5, V6.3).
"""

import math
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from sqlalchemy import case, delete
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from .errors import TooManyLoginAttemptsError
from .models import LoginAttempts


# --8<-- [start:throttle]
@dataclass(frozen=True)
class LoginThrottle:
    attempts: int  # allowed per window and username
    window: timedelta

    def charge(self, session: Session, username: str) -> None:
        """Count one attempt for `username`, committed at once; raise if it is one too many."""
        now = datetime.now(UTC)
        first = insert_with_on_conflict(session).values(
            username=username, attempts=1, window_started_at=now
        )
        window_over = LoginAttempts.window_started_at <= now - self.window
        # INSERT ... ON CONFLICT DO UPDATE ... RETURNING: one statement the database runs
        # atomically, so two logins at once cannot both read 4 and both write 5.
        upsert = first.on_conflict_do_update(
            index_elements=[LoginAttempts.username],
            set_={
                "attempts": case((window_over, 1), else_=LoginAttempts.attempts + 1),
                "window_started_at": case(
                    (window_over, first.excluded.window_started_at),
                    else_=LoginAttempts.window_started_at,
                ),
            },
        ).returning(LoginAttempts.attempts, LoginAttempts.window_started_at)
        attempts, started = session.execute(upsert).one()
        session.commit()  # counted even if the login then fails and its request rolls back
        if attempts > self.attempts:
            wait = started + self.window - now
            raise TooManyLoginAttemptsError(retry_after=max(1, math.ceil(wait.total_seconds())))

    def reset(self, session: Session, username: str) -> None:
        """A successful login: the username starts from a clean slate."""
        session.execute(delete(LoginAttempts).where(LoginAttempts.username == username))


# --8<-- [end:throttle]


def insert_with_on_conflict(session: Session) -> postgresql.Insert | sqlite.Insert:
    """Upserts are written differently by each database: SQLAlchemy has one `insert` per dialect."""
    if session.get_bind().dialect.name == "postgresql":
        return postgresql.insert(LoginAttempts)
    return sqlite.insert(LoginAttempts)
