"""The tables, as typed SQLAlchemy 2.0 models: the tickets, and the users who work on them.

`Mapped[...]` annotations say what each attribute holds in Python (mypy checks them);
`mapped_column(...)` says how the column is stored. A `Mapped[str]` column is NOT NULL, a
`Mapped[str | None]` one would be nullable: the type hint decides.
"""

from datetime import UTC, datetime
from decimal import Decimal

from sqlalchemy import DateTime, Dialect, Numeric, String
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column
from sqlalchemy.types import TypeDecorator


# --8<-- [start:utc-datetime]
class UTCDateTime(TypeDecorator[datetime]):
    """A timestamp that comes back timezone-aware, whatever the database.

    SQLite has no timezone type: it stores the text and hands back a naive datetime, and the
    API would then send `2026-11-25T14:00:00` without its offset. Stored as UTC, read as UTC.
    """

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is not None and value.tzinfo is None:
            raise ValueError("refusing a naive datetime: its timezone would be a guess")
        return value.astimezone(UTC) if value is not None else None

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


# --8<-- [end:utc-datetime]


# --8<-- [start:models]
class Base(DeclarativeBase):
    """Every model's base: its `metadata` knows every table."""


class Ticket(Base):
    __tablename__ = "tickets"

    id: Mapped[int] = mapped_column(primary_key=True)
    customer_email: Mapped[str] = mapped_column(String(320))
    device_model: Mapped[str] = mapped_column(String(50))
    # NUMERIC(7, 2) is exact in PostgreSQL. SQLite has no decimal type and stores a float;
    # SQLAlchemy rounds it back to a two-place Decimal, exact for 7 digits.
    estimated_cost: Mapped[Decimal] = mapped_column(Numeric(7, 2))
    notes: Mapped[str] = mapped_column(String(2000), default="")
    status: Mapped[str] = mapped_column(String(20), default="received")
    opened_by: Mapped[str] = mapped_column(String(100))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=lambda: datetime.now(UTC))


# --8<-- [start:user]
class User(Base):
    """Someone who works the desk. The password is kept only as its hash."""

    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(50), unique=True)
    password_hash: Mapped[str] = mapped_column(String(255))
    role: Mapped[str] = mapped_column(String(20))

    def __repr__(self) -> str:
        # Shown in logs and tracebacks: never with the hash.
        return f"User(id={self.id!r}, username={self.username!r}, role={self.role!r})"


# --8<-- [end:user]


# --8<-- [start:login-attempts]
class LoginAttempts(Base):
    """The logins tried for one username in the current window: what the throttle counts."""

    __tablename__ = "login_attempts"

    # Any username tried, existing or not: an unknown one is throttled the same way.
    username: Mapped[str] = mapped_column(String(50), primary_key=True)
    attempts: Mapped[int]
    window_started_at: Mapped[datetime] = mapped_column(UTCDateTime)


# --8<-- [end:login-attempts]
# --8<-- [end:models]
