"""Exercise 09.2, solved: the work is a service; the endpoint only says how to reach it.

`summarize_customer` takes a session and knows nothing of HTTP, so the endpoint, a command or
a test can each call it with a session of their own. It lets the database count and add up
(one row per status, not one per ticket) and builds the `CustomerSummary` while the session is
open: what it returns holds plain values, safe to read after the session is gone. For a
customer with no tickets it raises `NotFoundError`, which `errors.py` turns into a 404 for the
API and a command would turn into a message.
"""

from decimal import Decimal

from fastapi import APIRouter
from pydantic import BaseModel, Field
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from lessons.lesson_09_request_path.api.deps import StaffDatabase
from lessons.lesson_09_request_path.api.responses import NOT_FOUND, UNAUTHENTICATED
from lessons.lesson_09_request_path.models import Ticket, TicketStatus
from lessons.lesson_09_request_path.schemas import Count, Email, StoredEmail
from lessons.lesson_09_request_path.services.errors import NotFoundError

FINAL_STATUSES = (TicketStatus.COLLECTED, TicketStatus.CANCELLED)


class CustomerSummary(BaseModel):
    customer_email: StoredEmail
    tickets_by_status: dict[TicketStatus, Count] = Field(description="Every status, 0 included.")
    open_estimate: Decimal = Field(
        description="The estimates of the tickets neither collected nor cancelled, added up."
    )


def summarize_customer(session: Session, customer_email: str) -> CustomerSummary:
    """The customer's tickets per status and open estimate; `NotFoundError` if they have none."""
    per_status = session.execute(
        select(Ticket.status, func.count(), func.sum(Ticket.estimated_cost))
        .where(Ticket.customer_email == customer_email)
        .group_by(Ticket.status)
    ).all()
    if not per_status:
        raise NotFoundError(f"No tickets for {customer_email}")
    tickets_by_status = dict.fromkeys(TicketStatus, 0)
    open_estimate = Decimal("0.00")
    for status, count, estimate in per_status:
        tickets_by_status[status] = count
        if status not in FINAL_STATUSES:
            open_estimate += estimate
    return CustomerSummary(
        customer_email=customer_email,
        tickets_by_status=tickets_by_status,
        open_estimate=open_estimate,
    )


router = APIRouter(prefix="/api/v1/customers", tags=["customers"], responses=UNAUTHENTICATED)


@router.get("/{customer_email}/summary", responses=NOT_FOUND)
async def read_customer_summary(customer_email: Email, database: StaffDatabase) -> CustomerSummary:
    """What the customer has with us, by status, and what their open repairs are estimated at."""
    return await database.run(summarize_customer, customer_email)
