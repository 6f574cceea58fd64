"""Users and tickets.

Revision ID: 0001
Revises:
Create Date: 2026-11-25
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0001"
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

TICKET_STATUSES = ("received", "diagnosing", "repairing", "ready", "collected", "cancelled")


def upgrade() -> None:
    op.create_table(
        "users",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("email", sa.String(length=320), nullable=False),
        sa.Column("password_hash", sa.String(length=255), nullable=False),
        sa.Column(
            "role",
            sa.Enum("technician", "admin", name="role", native_enum=False, length=20),
            nullable=False,
        ),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_users")),
        sa.UniqueConstraint("email", name=op.f("uq_users_email")),
    )
    op.create_table(
        "tickets",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("tracking_code", sa.String(length=32), nullable=False),
        sa.Column("customer_email", sa.String(length=320), nullable=False),
        sa.Column("device_model", sa.String(length=50), nullable=False),
        sa.Column("estimated_cost", sa.Numeric(precision=7, scale=2), nullable=False),
        sa.Column("notes", sa.String(length=2000), nullable=True),
        sa.Column(
            "status",
            sa.Enum(*TICKET_STATUSES, name="ticketstatus", native_enum=False, length=20),
            nullable=False,
        ),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_tickets")),
        sa.UniqueConstraint("tracking_code", name=op.f("uq_tickets_tracking_code")),
    )
    op.create_index(op.f("ix_tickets_customer_email"), "tickets", ["customer_email"])
    op.create_index(op.f("ix_tickets_status"), "tickets", ["status"])


def downgrade() -> None:
    op.drop_index(op.f("ix_tickets_status"), table_name="tickets")
    op.drop_index(op.f("ix_tickets_customer_email"), table_name="tickets")
    op.drop_table("tickets")
    op.drop_table("users")
