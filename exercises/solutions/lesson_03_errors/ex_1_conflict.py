"""Exercise 03.1, solved: a state conflict is a domain exception, answered with a 409.

The endpoint says what went wrong (`TicketStateError`); the handler says how HTTP reports it.
The return annotation is `TicketRead` alone again, so the response model is exact.
"""

from datetime import UTC, datetime
from decimal import Decimal
from http import HTTPStatus
from typing import Any

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse

from lessons.lesson_03_errors.errors import (
    TicketNotFoundError,
    error_response,
    register_error_handlers,
)
from lessons.lesson_03_errors.schemas import TicketRead


class TicketStateError(Exception):
    """The ticket is not in a status that allows this operation."""

    def __init__(self, ticket: TicketRead) -> None:
        super().__init__(f"Ticket {ticket.id} is already {ticket.status}")


async def ticket_state_conflict(request: Request, exc: Exception) -> JSONResponse:
    return error_response(HTTPStatus.CONFLICT, str(exc))


app = FastAPI(title="RepairDesk, exercise 03.1")
register_error_handlers(app)
app.add_exception_handler(TicketStateError, ticket_state_conflict)


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
CONFLICT: dict[int | str, dict[str, Any]] = {409: {"description": "The repair has started."}}


@app.post("/tickets/{ticket_id}/start", responses=NOT_FOUND | CONFLICT)
def start_repair(ticket_id: int) -> TicketRead:
    """Start repairing a ticket that was received."""
    if ticket_id not in TICKETS:
        raise TicketNotFoundError(ticket_id)
    current = TICKETS[ticket_id]
    if current.status != "received":
        raise TicketStateError(current)
    started = current.model_copy(update={"status": "repairing"})
    TICKETS[ticket_id] = started
    return started
