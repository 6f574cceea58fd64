"""RepairDesk, lesson 03: errors with the right status code and one shape.

Endpoints raise domain exceptions; `errors.py` maps them to responses in one place. A client
always gets `{"detail": ...}` with a status code that says whose fault it was: 404 for what
it asked, 422 for what it sent, 500 (and no stack trace) for ours.
"""

from datetime import UTC, datetime
from http import HTTPStatus
from itertools import count
from typing import Annotated, Any

from fastapi import FastAPI, Query

from .errors import TicketNotFoundError, register_error_handlers
from .schemas import Status, TicketCreate, TicketRead

app = FastAPI(
    title="RepairDesk",
    summary="Repair tickets for a device-repair shop.",
)
register_error_handlers(app)

# --8<-- [start:data]
# Until lesson 05 brings a database, the tickets live in memory.
TICKETS: dict[int, TicketRead] = {}
ticket_ids = count(1)
# --8<-- [end:data]

# Documented in OpenAPI, so clients know which errors each operation can return.
NOT_FOUND: dict[int | str, dict[str, Any]] = {
    HTTPStatus.NOT_FOUND.value: {"description": "No ticket has this id."}
}


# --8<-- [start:routes]
@app.get("/")
def read_root() -> dict[str, str]:
    """Say what this service is and where its interactive documentation lives."""
    return {"service": "RepairDesk", "docs": "/docs"}


@app.post("/tickets", status_code=HTTPStatus.CREATED)
def create_ticket(ticket: TicketCreate) -> TicketRead:
    """Open a repair ticket. The server sets the id, the status and the creation time."""
    created = TicketRead(
        id=next(ticket_ids),
        status="received",
        created_at=datetime.now(UTC),
        **ticket.model_dump(),
    )
    TICKETS[created.id] = created
    return created


@app.get("/tickets")
def list_tickets(
    status: Status | None = None,
    limit: Annotated[int, Query(ge=1, le=100)] = 10,
) -> list[TicketRead]:
    """List tickets, optionally only those in one status."""
    matching = [t for t in TICKETS.values() if status is None or t.status == status]
    return matching[:limit]


@app.get("/tickets/{ticket_id}", responses=NOT_FOUND)
def read_ticket(ticket_id: int) -> TicketRead:
    """Read one ticket by its id."""
    return get_ticket_or_raise(ticket_id)


@app.delete("/tickets/{ticket_id}", status_code=HTTPStatus.NO_CONTENT, responses=NOT_FOUND)
def delete_ticket(ticket_id: int) -> None:
    """Delete a ticket opened by mistake."""
    get_ticket_or_raise(ticket_id)
    del TICKETS[ticket_id]


# --8<-- [end:routes]


def get_ticket_or_raise(ticket_id: int) -> TicketRead:
    try:
        return TICKETS[ticket_id]
    except KeyError:
        raise TicketNotFoundError(ticket_id) from None
