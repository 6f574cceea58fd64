"""Stop hiding errors behind a 200.

--8<-- [start:task]
**Ticket RD-302.** `GET /tickets/{ticket_id}/invoice` catches every exception and answers
**200** with `{"detail": "Something went wrong"}`: a client asking for a ticket that does not
exist is told nothing useful, and when `invoice_for` has a bug nobody ever sees the
traceback. Make an unknown ticket a **404** (`{"detail": "Ticket 99 not found"}`, through the
lesson's `TicketNotFoundError`), and let any other exception propagate, so that the catch-all
handler answers a **500** `{"detail": "Internal server error"}` and the server logs the
traceback. Keep `invoice_for` as it is.
--8<-- [end:task]
"""

from datetime import UTC, datetime
from decimal import Decimal

from fastapi import FastAPI
from pydantic import BaseModel

from lessons.lesson_03_errors.errors import register_error_handlers
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


@app.get("/tickets/{ticket_id}/invoice")
def read_invoice(ticket_id: int) -> Invoice | dict[str, str]:
    """The invoice of a ticket."""
    # TODO: an unknown ticket is a 404, a bug is a 500: stop catching everything.
    try:
        return invoice_for(TICKETS[ticket_id])
    except Exception:
        return {"detail": "Something went wrong"}
