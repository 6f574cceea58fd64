"""RepairDesk, lesson 02: validated input, declared output.

A request body is a Pydantic model: FastAPI parses the JSON, validates it and answers 422
with the field and the reason when it does not fit. The return annotation is the response
model, so what leaves the server is validated and documented too.
"""

from datetime import UTC, datetime
from http import HTTPStatus
from itertools import count
from typing import Annotated

from fastapi import FastAPI, HTTPException, Query

from .schemas import Status, TicketCreate, TicketRead

app = FastAPI(
    title="RepairDesk",
    summary="Repair tickets for a device-repair shop.",
)

# --8<-- [start:data]
# Until lesson 05 brings a database, the tickets live in memory.
TICKETS: dict[int, TicketRead] = {}
ticket_ids = count(1)
# --8<-- [end:data]


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


@app.get("/tickets/{ticket_id}")
def read_ticket(ticket_id: int) -> TicketRead:
    """Read one ticket by its id."""
    if ticket_id not in TICKETS:
        raise HTTPException(HTTPStatus.NOT_FOUND, detail=f"Ticket {ticket_id} not found")
    return TICKETS[ticket_id]


# --8<-- [end:routes]
