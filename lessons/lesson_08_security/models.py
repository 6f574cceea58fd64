"""The tables, as typed SQLAlchemy 2.0 models: the tickets, and the users who work on them.

`Mapped[...]` annotations say what each attribute holds in Python (mypy checks them);
`mapped_column(...)` says how the column is stored. A `Mapped[str]` column is NOT NULL, a
`Mapped[str | None]` one would be nullable: the type hint decides.
"""

from datetime import UTC, datetime
from decimal import Decimal
from enum import StrEnum

from sqlalchemy import DateTime, Dialect, Enum, Numeric, String, true
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


def utc_now() -> datetime:
    return datetime.now(UTC)


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
    opened_by: Mapped[str] = mapped_column(String(320))  # the email of the user who opened it
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=lambda: datetime.now(UTC))


# --8<-- [start:user]
class Role(StrEnum):
    TECHNICIAN = "technician"
    ADMIN = "admin"


def _enum_column(enum: type[StrEnum]) -> Enum:
    # A plain VARCHAR holding the values ("admin"), the same on every database.
    return Enum(
        enum,
        native_enum=False,
        length=20,
        values_callable=lambda members: [member.value for member in members],
    )


class User(Base):
    __tablename__ = "users"
    # SQLite reuses the largest id after a delete unless told not to: a deleted user's id, in
    # a token still alive, would then name the next user. PostgreSQL's sequences never go back.
    __table_args__ = ({"sqlite_autoincrement": True},)

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(320), unique=True)
    password_hash: Mapped[str] = mapped_column(String(255))
    role: Mapped[Role] = mapped_column(_enum_column(Role))
    # Deactivate rather than delete: the account's tickets and history keep their meaning.
    is_active: Mapped[bool] = mapped_column(default=True, server_default=true())
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utc_now)


# --8<-- [end:user]


# --8<-- [start:login-attempt]
class LoginAttempt(Base):
    """Sign-in attempts per email in the current window: the throttle every replica shares."""

    __tablename__ = "login_attempts"

    # Any email a client tries, account or not: unknown emails are throttled alike.
    email: Mapped[str] = mapped_column(String(320), primary_key=True)
    attempts: Mapped[int]
    window_started_at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)


# --8<-- [end:login-attempt]
# --8<-- [end:models]
