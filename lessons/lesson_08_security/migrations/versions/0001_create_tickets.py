"""create tickets

Revision ID: 0001
Revises:
Create Date: 2026-11-25 14:36:45.897926
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
        sa.Column("opened_by", sa.String(length=100), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_tickets")),
        sa.UniqueConstraint("tracking_code", name=op.f("uq_tickets_tracking_code")),
        sqlite_autoincrement=True,  # a deleted ticket's id is never given to another
    )
    op.create_index(op.f("ix_tickets_customer_email"), "tickets", ["customer_email"])
    op.create_index(op.f("ix_tickets_status"), "tickets", ["status"])


def downgrade() -> None:
    op.drop_index(op.f("ix_tickets_status"), table_name="tickets")
    op.drop_index(op.f("ix_tickets_customer_email"), table_name="tickets")
    op.drop_table("tickets")
