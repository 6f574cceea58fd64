"""Add the ticket's priority column.

--8<-- [start:task]
**Ticket RD-702.** Tickets get a `priority`, and the database must store it. Write this Alembic
migration. `upgrade()` adds a `priority` column to the `tickets` table: a string of at most 10
characters, NOT NULL, which the existing rows (and rows inserted without one) get as
`"normal"`, through a `server_default`. `downgrade()` removes the column again. The migration
follows the lesson's latest one: set `down_revision` to its revision id (see
`lessons/lesson_07_structure/migrations/versions/`). In a project, the file would sit in that
folder; here the check runs it against a database migrated to the lesson's head.
--8<-- [end:task]
"""

import sqlalchemy as sa  # noqa: F401 (you will need it)
from alembic import op  # noqa: F401 (and this)

revision: str = "ex07"
down_revision: str | None = None  # TODO: the revision this migration follows.


def upgrade() -> None:
    """Add `priority` to `tickets`."""
    # TODO: add the column.


def downgrade() -> None:
    """Remove `priority` from `tickets`."""
    # TODO: remove the column.
