"""Deactivatable accounts, a shared login throttle, and ids that are never reused.

Revision ID: 0002
Revises: 0001
Create Date: 2026-12-06
"""

from collections.abc import Sequence
from contextlib import AbstractContextManager

import sqlalchemy as sa
from alembic import op
from alembic.operations import BatchOperations

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _batch(table: str, *, autoincrement: bool) -> AbstractContextManager[BatchOperations]:
    # SQLite cannot add AUTOINCREMENT to a table: Alembic rebuilds it (create, copy, rename),
    # and the copy sets its counter past the largest id. PostgreSQL's SERIAL ids never go back
    # already, so there the batch is plain ALTER TABLE statements.
    on_sqlite = op.get_bind().dialect.name == "sqlite"
    return op.batch_alter_table(
        table,
        recreate="always" if on_sqlite else "auto",
        table_kwargs={"sqlite_autoincrement": autoincrement},
    )


def upgrade() -> None:
    with _batch("users", autoincrement=True) as users:
        users.add_column(
            sa.Column("is_active", sa.Boolean(), server_default=sa.true(), nullable=False)
        )
    with _batch("tickets", autoincrement=True):
        pass
    op.create_table(
        "login_attempts",
        sa.Column("email", sa.String(length=320), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("window_started_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("email", name=op.f("pk_login_attempts")),
    )
    op.create_index(
        op.f("ix_login_attempts_window_started_at"), "login_attempts", ["window_started_at"]
    )


def downgrade() -> None:
    op.drop_index(op.f("ix_login_attempts_window_started_at"), table_name="login_attempts")
    op.drop_table("login_attempts")
    with _batch("users", autoincrement=False) as users:
        users.drop_column("is_active")
    with _batch("tickets", autoincrement=False):
        pass
