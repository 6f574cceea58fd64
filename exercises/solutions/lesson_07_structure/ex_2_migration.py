"""Exercise 07.2, solved: add a NOT NULL column to a table that already has rows.

A NOT NULL column needs a value for the rows already there: `server_default` makes the
database fill it in, now and for every later INSERT that leaves it out. `batch_alter_table`
lets SQLite, which cannot alter most of a table in place, run the same migration as
PostgreSQL.
"""

import sqlalchemy as sa
from alembic import op

revision: str = "ex07"
down_revision: str | None = "0001"


def upgrade() -> None:
    """Add `priority` to `tickets`."""
    with op.batch_alter_table("tickets") as batch:
        batch.add_column(
            sa.Column("priority", sa.String(10), nullable=False, server_default="normal")
        )


def downgrade() -> None:
    """Remove `priority` from `tickets`."""
    with op.batch_alter_table("tickets") as batch:
        batch.drop_column("priority")
