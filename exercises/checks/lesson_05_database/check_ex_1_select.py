"""Checks `waiting_tickets`: the right tickets, in order, from one filtered and sorted SELECT.

--8<-- [start:hint]
Build the query, then run it: `select(Ticket).where(Ticket.customer_email == customer_email,
Ticket.status.in_([...])).order_by(Ticket.created_at.desc())` (import `select` from
`sqlalchemy`; the three statuses are `TicketStatus` members), and
`return list(session.scalars(query))`. Several conditions in one `where(...)` are joined with
AND. "Not ready" is not the same: collected and cancelled tickets are not ready either.
--8<-- [end:hint]
"""

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from types import ModuleType
from typing import Any

import pytest
from sqlalchemy import Engine, create_engine, event
from sqlalchemy.orm import Session
from sqlalchemy.pool import StaticPool

from lessons.lesson_05_database.models import Base, Ticket

START = datetime(2026, 3, 1, 9, 0, tzinfo=UTC)
# id, customer, status, hours after START; Ada's tickets still in the workshop, newest first,
# are 4, 3, 1: 2 is ready, 6 collected and 7 cancelled.
ROWS = [
    (1, "ada@example.com", "received", 0),
    (2, "ada@example.com", "ready", 5),
    (3, "ada@example.com", "repairing", 2),
    (4, "ada@example.com", "received", 7),
    (5, "bob@example.com", "received", 9),
    (6, "ada@example.com", "collected", 8),
    (7, "ada@example.com", "cancelled", 6),
]


@pytest.fixture
def engine() -> Iterator[Engine]:
    engine = create_engine("sqlite://", poolclass=StaticPool)
    Base.metadata.create_all(engine)
    with Session(engine) as session:
        for ticket_id, email, status, hours in ROWS:
            session.add(
                Ticket(
                    id=ticket_id,
                    customer_email=email,
                    device_model="Pixel 8",
                    estimated_cost=Decimal("90.00"),
                    status=status,
                    opened_by="front desk",
                    created_at=START + timedelta(hours=hours),
                )
            )
        session.commit()
    yield engine
    engine.dispose()


def run(module: ModuleType, engine: Engine, email: str) -> tuple[list[int], list[str]]:
    """The ids `waiting_tickets` returns, and the SQL it ran."""
    statements: list[str] = []

    def record(conn: Any, cursor: Any, statement: str, *args: Any) -> None:
        statements.append(statement)

    event.listen(engine, "before_cursor_execute", record)
    try:
        with Session(engine) as session:
            ids = [ticket.id for ticket in module.waiting_tickets(session, email)]
    finally:
        event.remove(engine, "before_cursor_execute", record)
    return ids, statements


def test_it_returns_the_customers_waiting_tickets_newest_first(
    module: ModuleType, engine: Engine
) -> None:
    ids, _ = run(module, engine, "ada@example.com")
    assert sorted(ids) == [1, 3, 4], (
        f"Ada's tickets still in the workshop are 1, 3 and 4 (2 is ready, 6 collected, 7 "
        f"cancelled); waiting_tickets returned {ids}"
    )
    assert ids == [4, 3, 1], f"newest first, Ada's waiting tickets are [4, 3, 1]; got {ids}"


def test_another_customer_gets_only_their_tickets(module: ModuleType, engine: Engine) -> None:
    ids, _ = run(module, engine, "bob@example.com")
    assert ids == [5], f"Bob's only waiting ticket is 5; waiting_tickets returned {ids}"


def test_the_database_filters_and_sorts_in_one_statement(
    module: ModuleType, engine: Engine
) -> None:
    _, statements = run(module, engine, "ada@example.com")
    assert len(statements) == 1, f"expected 1 SQL statement, it ran {len(statements)}"
    sql = " ".join(statements[0].split()).upper()
    assert " WHERE " in sql, f"the SELECT has no WHERE: the filtering happens in Python. SQL: {sql}"
    assert " ORDER BY " in sql, f"the SELECT has no ORDER BY: the database should sort. SQL: {sql}"
