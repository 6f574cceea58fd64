"""Move the customer summary into a service.

--8<-- [start:task]
**Ticket RD-902.** `GET /api/v1/customers/{customer_email}/summary` tells the front desk what a
customer has with us: their tickets per status, and what the open repairs (neither collected
nor cancelled) are estimated at. The endpoint does it all itself: a query in a function of its
own, the sums over the ORM rows that query hands back after its session is closed, and the 404
as an `HTTPException`. Nothing else can reuse it: not the command line, not a nightly job, not
a test without a client. Write the service `summarize_customer(session, customer_email)`: it
takes a `Session`, returns a `CustomerSummary` (every status listed, 0 included), and raises
the lesson's `NotFoundError` (from `services/errors.py`) for a customer with no tickets, which
`errors.py` already answers with a 404. Then make the endpoint one line,
`return await database.run(summarize_customer, customer_email)`. Anyone signed in may read a
summary, as before.
--8<-- [end:task]

The check calls `summarize_customer` with a session of its own, and adds `router` to the
lesson's app to call the endpoint.
"""

from decimal import Decimal
from http import HTTPStatus

from fastapi import APIRouter, HTTPException
from pydantic import BaseModel, Field
from sqlalchemy import select
from sqlalchemy.orm import Session

from lessons.lesson_09_request_path.api.deps import StaffDatabase
from lessons.lesson_09_request_path.api.responses import NOT_FOUND, UNAUTHENTICATED
from lessons.lesson_09_request_path.models import Ticket, TicketStatus
from lessons.lesson_09_request_path.schemas import Count, Email, StoredEmail
from lessons.lesson_09_request_path.services.errors import NotFoundError  # noqa: F401 (to raise)

FINAL_STATUSES = (TicketStatus.COLLECTED, TicketStatus.CANCELLED)


class CustomerSummary(BaseModel):
    customer_email: StoredEmail
    tickets_by_status: dict[TicketStatus, Count] = Field(description="Every status, 0 included.")
    open_estimate: Decimal = Field(
        description="The estimates of the tickets neither collected nor cancelled, added up."
    )


def summarize_customer(session: Session, customer_email: str) -> CustomerSummary:
    """The customer's tickets per status and open estimate; `NotFoundError` if they have none."""
    # TODO: the endpoint's query, sums and "not found", here, with no HTTP in sight.
    raise NotImplementedError("summarize_customer: move the endpoint's query, sums and 404 here")


router = APIRouter(prefix="/api/v1/customers", tags=["customers"], responses=UNAUTHENTICATED)


@router.get("/{customer_email}/summary", responses=NOT_FOUND)
async def read_customer_summary(customer_email: Email, database: StaffDatabase) -> CustomerSummary:
    """What the customer has with us, by status, and what their open repairs are estimated at."""

    # TODO: all of this becomes `summarize_customer`, run by one `database.run`.
    def load_tickets(session: Session) -> list[Ticket]:
        return list(session.scalars(select(Ticket).where(Ticket.customer_email == customer_email)))

    found = await database.run(load_tickets)
    if not found:
        raise HTTPException(HTTPStatus.NOT_FOUND, detail=f"No tickets for {customer_email}")
    tickets_by_status = dict.fromkeys(TicketStatus, 0)
    for ticket in found:
        tickets_by_status[ticket.status] += 1
    open_estimate = sum(
        (ticket.estimated_cost for ticket in found if ticket.status not in FINAL_STATUSES),
        Decimal("0.00"),
    )
    return CustomerSummary(
        customer_email=customer_email,
        tickets_by_status=tickets_by_status,
        open_estimate=open_estimate,
    )
