"""Exercise 02.2, solved: an IMEI normalised, then checked, by a field validator.

A `ValueError` raised in a validator becomes a 422 whose message is the error's text, so the
text says what is wrong in words a front-desk clerk understands.
"""

from datetime import UTC, datetime
from http import HTTPStatus

from fastapi import FastAPI
from pydantic import Field, field_validator

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

    @field_validator("imei")
    @classmethod
    def check_imei(cls, value: str) -> str:
        digits = value.replace(" ", "").replace("-", "")
        if len(digits) != 15 or not digits.isascii() or not digits.isdigit():
            raise ValueError("an IMEI is 15 digits")
        if not luhn_valid(digits):
            raise ValueError("the IMEI's check digit is wrong: is it mistyped?")
        return digits


class TicketRead(schemas.TicketRead):
    """What the server answers, with the phone's IMEI."""

    imei: str


app = FastAPI(title="RepairDesk, exercise 02.2")


@app.post("/tickets", status_code=HTTPStatus.CREATED)
def create_ticket(ticket: TicketCreate) -> TicketRead:
    """Open a repair ticket for a phone."""
    return TicketRead(id=1, status="received", created_at=datetime.now(UTC), **ticket.model_dump())
