"""Make the ticket overview one trip.

--8<-- [start:task]
**Ticket RD-901.** When a customer walks in, the front desk opens
`GET /api/v1/tickets/{ticket_id}/overview`: the ticket, and how many of the customer's devices
are still in the shop (their tickets neither collected nor cancelled). The endpoint makes two
trips: one `database.run` reads the ticket, a second counts the customer's open tickets. Each
trip costs a hand-over to a database thread and back, a transaction, and the account check
that `StaffDatabase` adds; under load, the second trip also queues again behind everyone
else's first. Make it one trip: write `read_overview(session, ticket_id)`, a unit of work that
reads the ticket and counts in the same session and returns a `TicketOverview`, and let the
endpoint make one `await database.run(read_overview, ticket_id)`. An unknown ticket still
answers 404, and a deactivated account's token still gets 401.
--8<-- [end:task]

The check adds `router` to the lesson's app, on a database of its own, and counts the trips.
"""

from typing import Annotated

from fastapi import APIRouter, Path
from pydantic import BaseModel, Field
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from lessons.lesson_09_request_path.api.deps import StaffDatabase
from lessons.lesson_09_request_path.api.responses import NOT_FOUND, UNAUTHENTICATED
from lessons.lesson_09_request_path.models import MAX_ID, Ticket, TicketStatus
from lessons.lesson_09_request_path.schemas import Count, TicketRead
from lessons.lesson_09_request_path.services import tickets

FINAL_STATUSES = (TicketStatus.COLLECTED, TicketStatus.CANCELLED)


class TicketOverview(BaseModel):
    ticket: TicketRead
    open_tickets: Count = Field(
        description="How many of the customer's tickets are neither collected nor cancelled."
    )


def count_open_tickets(session: Session, customer_email: str) -> int:
    """How many of the customer's tickets are neither collected nor cancelled."""
    query = select(func.count()).where(
        Ticket.customer_email == customer_email, Ticket.status.not_in(FINAL_STATUSES)
    )
    return session.scalar(query) or 0


router = APIRouter(prefix="/api/v1/tickets", tags=["tickets"], responses=UNAUTHENTICATED)


@router.get("/{ticket_id}/overview", responses=NOT_FOUND)
async def read_ticket_overview(
    ticket_id: Annotated[int, Path(ge=1, le=MAX_ID)], database: StaffDatabase
) -> TicketOverview:
    """The ticket, and how many of its customer's devices are still in the shop."""
    # TODO: one trip: a unit of work that reads the ticket and counts, in one `database.run`.
    ticket = await database.run(tickets.read_ticket, ticket_id)
    open_tickets = await database.run(count_open_tickets, ticket.customer_email)
    return TicketOverview(ticket=ticket, open_tickets=open_tickets)
