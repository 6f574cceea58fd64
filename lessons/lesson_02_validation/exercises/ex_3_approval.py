"""Ask for approval above a limit.

--8<-- [start:task]
**Ticket RD-203.** Customers complain about surprise bills. A ticket whose `estimated_cost`
is above 300 euros must say that the customer approved the quote: refuse such a ticket with a
422 unless `customer_approved` is true, with a message that says approval is needed. A ticket
of 300 or less needs no approval. The rule involves two fields, so it belongs to the model as a
whole (a `model_validator`), not to either field.
--8<-- [end:task]
"""

from datetime import UTC, datetime
from decimal import Decimal
from http import HTTPStatus

from fastapi import FastAPI
from pydantic import Field

from lessons.lesson_02_validation import schemas

APPROVAL_ABOVE = Decimal("300")


class TicketCreate(schemas.TicketCreate):
    """What a client sends to open a ticket, with the customer's approval of the quote."""

    customer_approved: bool = Field(False, description="The customer accepted the quote.")

    # TODO: refuse a ticket above APPROVAL_ABOVE that the customer has not approved.


class TicketRead(schemas.TicketRead):
    """What the server answers."""

    customer_approved: bool


app = FastAPI(title="RepairDesk, exercise 02.3")


@app.post("/tickets", status_code=HTTPStatus.CREATED)
def create_ticket(ticket: TicketCreate) -> TicketRead:
    """Open a repair ticket."""
    return TicketRead(id=1, status="received", created_at=datetime.now(UTC), **ticket.model_dump())
