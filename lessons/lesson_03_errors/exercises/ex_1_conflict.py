"""Refuse to start a repair twice.

--8<-- [start:task]
**Ticket RD-301.** `POST /tickets/{ticket_id}/start` moves a ticket from `"received"` to
`"repairing"`. Called on a ticket that is past that, it answers **200** with
`{"error": "..."}`, which every client, cache and monitor reads as a success. Raise a domain
exception instead, and register a handler that turns it into a **409 Conflict** in the API's one
error shape: `{"detail": "Ticket 1 is already repairing"}`. Make the operation's response
model `TicketRead` alone, and document the 409 in the OpenAPI schema as the lesson documents
its 404. An unknown ticket stays a 404.
--8<-- [end:task]
"""

from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

from fastapi import FastAPI

from lessons.lesson_03_errors.errors import TicketNotFoundError, register_error_handlers
from lessons.lesson_03_errors.schemas import TicketRead

app = FastAPI(title="RepairDesk, exercise 03.1")
register_error_handlers(app)


def ticket(ticket_id: int, status: str) -> TicketRead:
    return TicketRead.model_validate(
        {
            "id": ticket_id,
            "customer_email": "ada@example.com",
            "device_model": "Pixel 8",
            "estimated_cost": Decimal("129.99"),
            "notes": "",
            "status": status,
            "created_at": datetime(2026, 1, 5, 9, 30, tzinfo=UTC),
        }
    )


TICKETS = {1: ticket(1, "received"), 2: ticket(2, "ready")}

NOT_FOUND: dict[int | str, dict[str, Any]] = {404: {"description": "No ticket has this id."}}


@app.post("/tickets/{ticket_id}/start", responses=NOT_FOUND)
def start_repair(ticket_id: int) -> TicketRead | dict[str, str]:
    """Start repairing a ticket that was received."""
    if ticket_id not in TICKETS:
        raise TicketNotFoundError(ticket_id)
    current = TICKETS[ticket_id]
    if current.status != "received":
        # TODO: a refusal is not a success: raise a domain exception and answer it with a 409.
        return {"error": f"Ticket {ticket_id} is already {current.status}"}
    started = current.model_copy(update={"status": "repairing"})
    TICKETS[ticket_id] = started
    return started
