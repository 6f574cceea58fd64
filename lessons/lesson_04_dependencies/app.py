"""RepairDesk, lesson 04: what endpoints need, handed in by dependencies.

Endpoints no longer parse pagination, filters or credentials themselves: they declare
`PaginationDep`, `TicketFilterDep` or `CallerDep` and FastAPI provides them (see
`dependencies.py`). Every ticket route needs an API key in the `X-API-Key` header; the routes
that change tickets are audited.
"""

from datetime import UTC, datetime
from http import HTTPStatus
from itertools import count
from typing import Any

from fastapi import Depends, FastAPI

from .dependencies import Audited, CallerDep, PaginationDep, TicketFilterDep, get_caller
from .errors import TicketNotFoundError, register_error_handlers
from .schemas import TicketCreate, TicketRead

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


@app.post("/tickets", status_code=HTTPStatus.CREATED, dependencies=[Audited])
def create_ticket(ticket: TicketCreate, caller: CallerDep) -> TicketRead:
    """Open a repair ticket. The server sets the id, the status, who opened it and when."""
    created = TicketRead(
        id=next(ticket_ids),
        status="received",
        opened_by=caller.name,
        created_at=datetime.now(UTC),
        **ticket.model_dump(),
    )
    TICKETS[created.id] = created
    return created


@app.get("/tickets", dependencies=[Depends(get_caller)])
def list_tickets(page: PaginationDep, filters: TicketFilterDep) -> list[TicketRead]:
    """List tickets, optionally only those in one status or for one kind of device."""
    matching = [t for t in TICKETS.values() if filters.matches(t)]
    return page.apply(matching)


@app.get("/tickets/{ticket_id}", responses=NOT_FOUND, dependencies=[Depends(get_caller)])
def read_ticket(ticket_id: int) -> TicketRead:
    """Read one ticket by its id."""
    return get_ticket_or_raise(ticket_id)


@app.delete(
    "/tickets/{ticket_id}",
    status_code=HTTPStatus.NO_CONTENT,
    responses=NOT_FOUND,
    dependencies=[Audited],  # the audit needs the caller, so this route needs an API key too
)
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
