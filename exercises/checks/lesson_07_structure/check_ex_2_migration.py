"""Checks the migration: it follows the lesson's head, adds `priority`, and undoes it.

The check migrates a fresh SQLite database to the lesson's head, adds a ticket, then runs
`upgrade()` and `downgrade()` from your file through Alembic's `Operations`.

--8<-- [start:hint]
`down_revision` is the `revision` string of the latest file in the lesson's
`migrations/versions/`. In `upgrade()`: `op.add_column("tickets", sa.Column("priority",
sa.String(10), nullable=False, server_default="normal"))`; in `downgrade()`:
`op.drop_column("tickets", "priority")`. Inside `with op.batch_alter_table("tickets") as
batch:` the same calls (`batch.add_column(...)`) also work on SQLite versions that cannot
drop a column.
--8<-- [end:hint]
"""

from collections.abc import Iterator
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
from alembic.operations import Operations
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine, create_engine, inspect, text
from sqlalchemy.orm import Session

from lessons.lesson_07_structure.migrate import MIGRATIONS_DIR, upgrade
from lessons.lesson_07_structure.models import Ticket


@pytest.fixture
def engine(tmp_path: Path) -> Iterator[Engine]:
    """A database at the lesson's head, holding one ticket."""
    url = f"sqlite:///{tmp_path / 'repairdesk.db'}"
    upgrade(url)
    engine = create_engine(url)
    with Session(engine) as session:
        session.add(
            Ticket(
                customer_email="ada@example.com",
                device_model="Pixel 8",
                estimated_cost=Decimal("90.00"),
                opened_by="front desk",
                created_at=datetime(2026, 3, 1, tzinfo=UTC),
            )
        )
        session.commit()
    yield engine
    engine.dispose()


def run(module: ModuleType, step: str, engine: Engine) -> None:
    with engine.begin() as connection, Operations.context(MigrationContext.configure(connection)):
        getattr(module, step)()


def columns(engine: Engine) -> dict[str, dict[str, Any]]:
    return {column["name"]: dict(column) for column in inspect(engine).get_columns("tickets")}


def test_it_follows_the_lessons_latest_migration(module: ModuleType) -> None:
    head = ScriptDirectory(str(MIGRATIONS_DIR)).get_current_head()
    assert module.down_revision == head, (
        f"down_revision should be {head!r}, the lesson's latest migration, "
        f"not {module.down_revision!r}"
    )


def test_upgrade_adds_a_not_null_priority(module: ModuleType, engine: Engine) -> None:
    run(module, "upgrade", engine)
    found = columns(engine)
    assert "priority" in found, "after upgrade(), the tickets table has no `priority` column"
    assert found["priority"]["nullable"] is False, "`priority` should be NOT NULL (nullable=False)"
    length = getattr(found["priority"]["type"], "length", None)
    assert length == 10, (
        f"`priority` should be a string of at most 10 characters; it is {found['priority']['type']}"
    )


def test_existing_and_new_rows_get_normal(module: ModuleType, engine: Engine) -> None:
    run(module, "upgrade", engine)
    with engine.begin() as connection:
        connection.execute(
            text(
                "INSERT INTO tickets (tracking_code, customer_email, device_model, "
                "estimated_cost, status, opened_by, created_at, updated_at) VALUES ("
                "'bob-tracking-code', 'bob@example.com', 'iPhone 15', 50, 'received', "
                "'front desk', '2026-03-02 09:00:00', '2026-03-02 09:00:00')"
            )
        )
        priorities = connection.execute(text("SELECT priority FROM tickets ORDER BY id")).scalars()
        found = list(priorities)
    assert found == ["normal", "normal"], (
        "the existing ticket and one inserted without a priority should both be 'normal'; "
        f"they are {found}"
    )


def test_downgrade_removes_the_column_and_keeps_the_tickets(
    module: ModuleType, engine: Engine
) -> None:
    run(module, "upgrade", engine)
    run(module, "downgrade", engine)
    assert "priority" not in columns(engine), "after downgrade(), `priority` should be gone"
    with engine.connect() as connection:
        count = connection.execute(text("SELECT count(*) FROM tickets")).scalar()
    assert count == 1, f"downgrade() should keep the tickets; {count} are left of 1"
