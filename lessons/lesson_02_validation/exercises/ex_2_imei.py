"""Refuse a mistyped IMEI.

--8<-- [start:task]
**Ticket RD-202.** A phone is identified by its IMEI: 15 digits, the last of which is a check
digit (the Luhn algorithm, already written in the file as `luhn_valid`). Tickets now carry an
`imei`, and the front desk keeps mistyping it. Refuse an IMEI that is not 15 digits, or whose
check digit is wrong, with a 422 pointing at `imei` and saying why. Accept one written with
spaces or dashes (`49-015420-323751-8`), and store it as its 15 digits alone.
--8<-- [end:task]
"""

from datetime import UTC, datetime
from http import HTTPStatus

from fastapi import FastAPI
from pydantic import Field

from lessons.lesson_02_validation import schemas


def luhn_valid(digits: str) -> bool:
    """True when the last digit of `digits` is the Luhn check digit of the others."""
    total = 0
    for position, digit in enumerate(reversed(digits)):
        value = int(digit) * (2 if position % 2 else 1)
        total += value - 9 if value > 9 else value
    return total % 10 == 0


class TicketCreate(schemas.TicketCreate):
    """What a client sends to open a ticket for a phone."""

    imei: str = Field(description="The phone's IMEI: 15 digits, the last one a check digit.")

    # TODO: validate `imei`: drop spaces and dashes, then require 15 digits that pass luhn_valid.


class TicketRead(schemas.TicketRead):
    """What the server answers, with the phone's IMEI."""

    imei: str


app = FastAPI(title="RepairDesk, exercise 02.2")


@app.post("/tickets", status_code=HTTPStatus.CREATED)
def create_ticket(ticket: TicketCreate) -> TicketRead:
    """Open a repair ticket for a phone."""
    return TicketRead(id=1, status="received", created_at=datetime.now(UTC), **ticket.model_dump())
