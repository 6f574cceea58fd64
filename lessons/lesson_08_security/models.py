"""The tables, as typed SQLAlchemy 2.0 models: tickets, and the users who may touch them."""

from datetime import UTC, datetime
from decimal import Decimal

from sqlalchemy import DateTime, Numeric, String
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column


def utc_now() -> datetime:
    return datetime.now(UTC)


class Base(DeclarativeBase):
    pass


class Ticket(Base):
    __tablename__ = "tickets"

    id: Mapped[int] = mapped_column(primary_key=True)
    customer_email: Mapped[str] = mapped_column(String(320))
    device_model: Mapped[str] = mapped_column(String(50))
    estimated_cost: Mapped[Decimal] = mapped_column(Numeric(7, 2))
    notes: Mapped[str] = mapped_column(String(2000), default="")
    status: Mapped[str] = mapped_column(String(20), default="received")
    opened_by: Mapped[str] = mapped_column(String(100))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utc_now)


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
