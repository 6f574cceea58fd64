"""create users

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-25 14:32:03.804333
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

TICKETS_AUTOINCREMENT = {"sqlite_autoincrement": True}


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
        sa.Column("is_active", sa.Boolean(), server_default=sa.true(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_users")),
        sa.UniqueConstraint("email", name=op.f("uq_users_email")),
        sqlite_autoincrement=True,  # a deleted user's id is never given to another
    )
    # A ticket's opened_by now holds the email of the user who opened it: as long as an email.
    # SQLite cannot alter a column: Alembic rebuilds the table, which must keep AUTOINCREMENT.
    with op.batch_alter_table("tickets", table_kwargs=TICKETS_AUTOINCREMENT) as tickets:
        tickets.alter_column(
            "opened_by",
            existing_type=sa.String(length=100),
            type_=sa.String(length=320),
            existing_nullable=False,
        )


def downgrade() -> None:
    with op.batch_alter_table("tickets", table_kwargs=TICKETS_AUTOINCREMENT) as tickets:
        tickets.alter_column(
            "opened_by",
            existing_type=sa.String(length=320),
            type_=sa.String(length=100),
            existing_nullable=False,
        )
    op.drop_table("users")
