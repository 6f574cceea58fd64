"""Tickets: create, list, read, edit, delete, and move them along their life cycle.

The router writes the paths' prefix once instead of in every path, and `tags` groups the
routes under one heading in /docs; `create_app` includes the router. Each route documents
the errors it can answer (`api/responses.py`), so the OpenAPI document lists them too.
"""

from typing import Annotated

from fastapi import APIRouter, Depends, Path, Request, Response, status

from ..models import MAX_ID
from ..schemas import (
    TicketCreate,
    TicketPage,
    TicketRead,
    TicketUpdate,
    TransitionRequest,
)
from ..services import tickets
from .deps import (
    AdminDatabase,
    PaginationDep,
    StaffDatabase,
    TicketFilterDep,
    get_principal,
)
from .responses import (
    ADMIN_ONLY,
    BAD_BODY,
    CONFLICT,
    NOT_FOUND,
    SERVER_ERROR,
    UNAUTHENTICATED,
)

# Every ticket route needs a valid token, checked before the body is read; each endpoint's
# `StaffDatabase` or `AdminDatabase` then checks the account inside its one database trip.
router = APIRouter(
    prefix="/api/v1/tickets",
    tags=["tickets"],
    dependencies=[Depends(get_principal)],
    responses={**UNAUTHENTICATED, **SERVER_ERROR},
)

TicketId = Annotated[int, Path(ge=1, le=MAX_ID, description="The ticket's id.")]


# --8<-- [start:create]
@router.post(
    "",
    status_code=status.HTTP_201_CREATED,
    response_description="The ticket, its URL in the Location header",
    responses=BAD_BODY,
)
async def create_ticket(
    data: TicketCreate, database: StaffDatabase, request: Request, response: Response
) -> TicketRead:
    """Open a ticket for a device that has just come in (status `received`)."""
    ticket = await database.run(tickets.create_ticket, data)
    response.headers["Location"] = request.app.url_path_for("read_ticket", ticket_id=ticket.id)
    return ticket


# --8<-- [end:create]


@router.get("")
async def list_tickets(
    database: StaffDatabase, page: PaginationDep, filters: TicketFilterDep
) -> TicketPage:
    """Tickets, newest first, optionally only those in one status or for one customer."""
    return await database.run(
        tickets.list_tickets,
        status=filters.status,
        customer_email=filters.customer_email,
        limit=page.limit,
        offset=page.offset,
    )


# --8<-- [start:read]
@router.get("/{ticket_id}", responses=NOT_FOUND)
async def read_ticket(ticket_id: TicketId, database: StaffDatabase) -> TicketRead:
    """Read one ticket by its id."""
    return await database.run(tickets.read_ticket, ticket_id)


# --8<-- [end:read]


@router.patch("/{ticket_id}", responses={**NOT_FOUND, **BAD_BODY})
async def update_ticket(
    ticket_id: TicketId, changes: TicketUpdate, database: StaffDatabase
) -> TicketRead:
    """Edit the customer's email, the device, the estimate or the notes (not the status)."""
    return await database.run(tickets.update_ticket, ticket_id, changes)


@router.delete(
    "/{ticket_id}", status_code=status.HTTP_204_NO_CONTENT, responses={**ADMIN_ONLY, **NOT_FOUND}
)
async def delete_ticket(ticket_id: TicketId, database: AdminDatabase) -> None:
    """Delete a ticket opened by mistake (admins only)."""
    await database.run(tickets.delete_ticket, ticket_id)


@router.post("/{ticket_id}/transitions", responses={**NOT_FOUND, **CONFLICT, **BAD_BODY})
async def transition_ticket(
    ticket_id: TicketId, transition: TransitionRequest, database: StaffDatabase
) -> TicketRead:
    """Move the ticket along received → diagnosing → repairing → ready → collected, or to
    cancelled from any status but the final ones. 409 names the allowed next statuses."""
    return await database.run(tickets.transition_ticket, ticket_id, transition.to)
