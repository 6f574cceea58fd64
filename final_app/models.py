"""The tables, as typed SQLAlchemy 2.0 models: the tickets, the users who work on them,
and what a retry must find (idempotency keys).

`Mapped[...]` annotations say what each attribute holds in Python (mypy checks them);
`mapped_column(...)` says how the column is stored. A `Mapped[str]` column is NOT NULL, a
`Mapped[str | None]` one is nullable: the type hint decides.
"""

from __future__ import annotations

import secrets
from datetime import datetime
from decimal import Decimal
from enum import StrEnum

from sqlalchemy import Enum, ForeignKey, MetaData, Numeric, String, Text, true
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from .db import UTCDateTime, utc_now

# PostgreSQL's INTEGER, the id columns' type: larger path ids cannot exist, and are refused.
MAX_ID = 2**31 - 1


class Role(StrEnum):
    TECHNICIAN = "technician"
    ADMIN = "admin"


class TicketStatus(StrEnum):
    RECEIVED = "received"
    DIAGNOSING = "diagnosing"
    REPAIRING = "repairing"
    READY = "ready"
    COLLECTED = "collected"
    CANCELLED = "cancelled"


def new_tracking_code() -> str:
    """96 random bits, URL-safe: a customer can share it, nobody can guess the next one."""
    return secrets.token_urlsafe(12)


def _enum_column(enum: type[StrEnum]) -> Enum:
    # A plain VARCHAR holding the values ("received"), the same on every database.
    return Enum(
        enum,
        native_enum=False,
        length=20,
        values_callable=lambda members: [member.value for member in members],
    )


class Base(DeclarativeBase):
    # Named constraints: migrations can later drop or alter them by name on every database.
    metadata = MetaData(
        naming_convention={
            "ix": "ix_%(column_0_label)s",
            "uq": "uq_%(table_name)s_%(column_0_name)s",
            "ck": "ck_%(table_name)s_%(constraint_name)s",
            "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
            "pk": "pk_%(table_name)s",
        }
    )


# --8<-- [start:user]
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


# --8<-- [start:ticket]
class Ticket(Base):
    __tablename__ = "tickets"
    __table_args__ = ({"sqlite_autoincrement": True},)  # a deleted ticket's URL names no other

    id: Mapped[int] = mapped_column(primary_key=True)
    tracking_code: Mapped[str] = mapped_column(String(32), unique=True, default=new_tracking_code)
    customer_email: Mapped[str] = mapped_column(String(320), index=True)
    device_model: Mapped[str] = mapped_column(String(50))
    # NUMERIC(7, 2) is exact in PostgreSQL. SQLite has no decimal type and stores a float;
    # SQLAlchemy rounds it back to a two-place Decimal, exact for 7 digits.
    estimated_cost: Mapped[Decimal] = mapped_column(Numeric(7, 2))
    notes: Mapped[str | None] = mapped_column(String(2000))
    status: Mapped[TicketStatus] = mapped_column(
        _enum_column(TicketStatus), default=TicketStatus.RECEIVED, index=True
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utc_now)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utc_now, onupdate=utc_now)


# --8<-- [end:ticket]


# --8<-- [start:login-attempt]
class LoginAttempt(Base):
    """Sign-in attempts per email in the current window: the throttle every replica shares."""

    __tablename__ = "login_attempts"

    # Any email a client tries, account or not: unknown emails are throttled alike.
    email: Mapped[str] = mapped_column(String(320), primary_key=True)
    attempts: Mapped[int]
    window_started_at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)


# --8<-- [end:login-attempt]


# --8<-- [start:idempotency-key]
class IdempotencyKey(Base):
    """A create done for a client's `Idempotency-Key`: a retry with the key gets its answer.

    One per user and key (the primary key): of two requests racing with the same key, on two
    replicas, the database lets one insert it, and the other reads what the first answered.
    """

    __tablename__ = "idempotency_keys"

    user_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), primary_key=True
    )
    key: Mapped[str] = mapped_column(String(255), primary_key=True)
    # A digest of the request body: the same key with another body is the client's mistake.
    request_digest: Mapped[str] = mapped_column(String(64))
    response_body: Mapped[str] = mapped_column(Text)  # the JSON answered the first time
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)


# --8<-- [end:idempotency-key]
