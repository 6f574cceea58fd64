"""Exercise 02.1, solved: a priority with a default, restricted to three values.

The same `Priority` type serves the input and the output model, so the two cannot drift apart.
"""

from datetime import UTC, datetime
from http import HTTPStatus
from typing import Literal

from fastapi import FastAPI
from pydantic import Field

from lessons.lesson_02_validation import schemas

Priority = Literal["low", "normal", "urgent"]


class TicketCreate(schemas.TicketCreate):
    """What a client sends to open a ticket, with a priority."""

    priority: Priority = Field("normal", description="How soon the customer needs the device.")


class TicketRead(schemas.TicketRead):
    """What the server answers, with the ticket's priority."""

    priority: Priority


app = FastAPI(title="RepairDesk, exercise 02.1")


@app.post("/tickets", status_code=HTTPStatus.CREATED)
def create_ticket(ticket: TicketCreate) -> TicketRead:
    """Open a repair ticket."""
    return TicketRead(id=1, status="received", created_at=datetime.now(UTC), **ticket.model_dump())
