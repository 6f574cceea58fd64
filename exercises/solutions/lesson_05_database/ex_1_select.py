"""Exercise 05.1, solved: the database filters and sorts, in one SELECT.

`select(Ticket)` is SQLAlchemy 2.0's query; `session.scalars()` runs it and yields `Ticket`
objects rather than rows. An index on (customer_email, created_at) would make it fast too.
"""

from sqlalchemy import select
from sqlalchemy.orm import Session

from lessons.lesson_05_database.models import Ticket, TicketStatus

IN_THE_WORKSHOP = [TicketStatus.RECEIVED, TicketStatus.DIAGNOSING, TicketStatus.REPAIRING]


def waiting_tickets(session: Session, customer_email: str) -> list[Ticket]:
    """The customer's tickets still in the workshop, newest first."""
    query = (
        select(Ticket)
        .where(Ticket.customer_email == customer_email, Ticket.status.in_(IN_THE_WORKSHOP))
        .order_by(Ticket.created_at.desc())
    )
    return list(session.scalars(query))
