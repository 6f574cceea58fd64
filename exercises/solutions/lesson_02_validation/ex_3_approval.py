"""Exercise 02.3, solved: a rule across two fields, in a `model_validator`.

`mode="after"` runs once every field is valid, so the validator reads a real `Decimal` and a
real `bool`. A `ValueError` becomes a 422 whose `loc` is the body as a whole.
"""

from datetime import UTC, datetime
from decimal import Decimal
from http import HTTPStatus
from typing import Self

from fastapi import FastAPI
from pydantic import Field, model_validator

from lessons.lesson_02_validation import schemas

APPROVAL_ABOVE = Decimal("300")


class TicketCreate(schemas.TicketCreate):
    """What a client sends to open a ticket, with the customer's approval of the quote."""

    customer_approved: bool = Field(False, description="The customer accepted the quote.")

    @model_validator(mode="after")
    def expensive_repairs_need_approval(self) -> Self:
        if self.estimated_cost > APPROVAL_ABOVE and not self.customer_approved:
            raise ValueError(
                f"a repair above {APPROVAL_ABOVE} euros needs the customer's approval "
                "(customer_approved: true)"
            )
        return self


class TicketRead(schemas.TicketRead):
    """What the server answers."""

    customer_approved: bool


app = FastAPI(title="RepairDesk, exercise 02.3")


@app.post("/tickets", status_code=HTTPStatus.CREATED)
def create_ticket(ticket: TicketCreate) -> TicketRead:
    """Open a repair ticket."""
    return TicketRead(id=1, status="received", created_at=datetime.now(UTC), **ticket.model_dump())
