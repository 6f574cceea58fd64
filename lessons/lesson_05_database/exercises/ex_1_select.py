"""Let the database filter and sort.

--8<-- [start:task]
**Ticket RD-501.** When a customer calls, the front desk wants their tickets still in the
workshop (received, diagnosing or repairing), newest first. `waiting_tickets` does it with the
legacy `session.query(...)` API, and loads every ticket of every customer to filter them in
Python: fine for ten tickets, not for a million. Rewrite it with SQLAlchemy 2.0: one
`select(Ticket)` whose `where(...)` keeps this customer's tickets in one of those three
statuses and whose `order_by(...)` puts the newest (`created_at`) first, run with
`session.scalars(...)`. The check counts the SQL statements: exactly one, with a `WHERE` and an
`ORDER BY`.
--8<-- [end:task]
"""

from sqlalchemy.orm import Session

from lessons.lesson_05_database.models import Ticket


def waiting_tickets(session: Session, customer_email: str) -> list[Ticket]:
    """The customer's tickets still in the workshop, newest first."""
    # TODO: one select() with where() and order_by(), run by session.scalars().
    every_ticket = session.query(Ticket).all()
    return [ticket for ticket in every_ticket if ticket.customer_email == customer_email]
