"""Exercise 03.2, solved: no blanket `except`; each error reaches the handler that owns it.

A missing ticket is the client's mistake, said with a domain exception (404). Anything else is
ours: it propagates, the catch-all handler answers a bare 500, and the server logs it.
"""

from datetime import UTC, datetime
from decimal import Decimal

from fastapi import FastAPI
from pydantic import BaseModel

from lessons.lesson_03_errors.errors import TicketNotFoundError, register_error_handlers
from lessons.lesson_03_errors.schemas import TicketRead

app = FastAPI(title="RepairDesk, exercise 03.2")
register_error_handlers(app)

VAT_RATE = Decimal("0.21")
TICKETS = {
    1: TicketRead(
        id=1,
        customer_email="ada@example.com",
        device_model="Pixel 8",
        estimated_cost=Decimal("100.00"),
        notes="",
        status="ready",
        created_at=datetime(2026, 1, 5, 9, 30, tzinfo=UTC),
    )
}


class Invoice(BaseModel):
    ticket_id: int
    total: Decimal


def invoice_for(ticket: TicketRead) -> Invoice:
    """The ticket's estimated cost, VAT included."""
    return Invoice(ticket_id=ticket.id, total=(ticket.estimated_cost * (1 + VAT_RATE)))


@app.get("/tickets/{ticket_id}/invoice", responses={404: {"description": "No such ticket."}})
def read_invoice(ticket_id: int) -> Invoice:
    """The invoice of a ticket."""
    if ticket_id not in TICKETS:
        raise TicketNotFoundError(ticket_id)
    return invoice_for(TICKETS[ticket_id])
