"""Exercise 09.1, solved: the two reads are one unit of work, run by one `database.run`.

`read_overview` calls the other services with the session it is given, so the ticket and the
count cost one thread hop, one transaction and one account check (`StaffDatabase` runs
`check_account` first, in the same trip). Services compose this way because they take a
session instead of opening one. If `read_ticket` raises `TicketNotFoundError`, the transaction
rolls back and `errors.py` answers 404, as before.
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


def read_overview(session: Session, ticket_id: int) -> TicketOverview:
    """The unit of work: both reads, in the one session (and transaction) it is given."""
    ticket = tickets.read_ticket(session, ticket_id)
    return TicketOverview(
        ticket=ticket, open_tickets=count_open_tickets(session, ticket.customer_email)
    )


router = APIRouter(prefix="/api/v1/tickets", tags=["tickets"], responses=UNAUTHENTICATED)


@router.get("/{ticket_id}/overview", responses=NOT_FOUND)
async def read_ticket_overview(
    ticket_id: Annotated[int, Path(ge=1, le=MAX_ID)], database: StaffDatabase
) -> TicketOverview:
    """The ticket, and how many of its customer's devices are still in the shop."""
    return await database.run(read_overview, ticket_id)
