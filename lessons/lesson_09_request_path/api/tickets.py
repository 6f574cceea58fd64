"""Tickets: create, list, read, edit, delete, and move them along their life cycle."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Path, Query, Request, Response, status

from ..api.deps import AdminDatabase, StaffDatabase, get_principal
from ..api.responses import (
    ADMIN_ONLY,
    BAD_BODY,
    CONFLICT,
    NOT_FOUND,
    SERVER_ERROR,
    UNAUTHENTICATED,
)
from ..models import MAX_ID, TicketStatus
from ..schemas import (
    Email,
    TicketCreate,
    TicketPage,
    TicketRead,
    TicketUpdate,
    TransitionRequest,
)
from ..services import tickets

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
    database: StaffDatabase,
    status: TicketStatus | None = None,
    customer_email: Annotated[Email | None, Query(description="Exact match.")] = None,
    limit: Annotated[int, Query(ge=1, le=100)] = 20,
    offset: Annotated[int, Query(ge=0, le=MAX_ID)] = 0,
) -> TicketPage:
    """Tickets, newest first, optionally filtered by status and customer."""
    return await database.run(
        tickets.list_tickets,
        status=status,
        customer_email=customer_email,
        limit=limit,
        offset=offset,
    )


# --8<-- [start:read]
@router.get("/{ticket_id}", responses=NOT_FOUND)
async def read_ticket(ticket_id: TicketId, database: StaffDatabase) -> TicketRead:
    """One ticket."""
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
    """Delete a ticket (admins only)."""
    await database.run(tickets.delete_ticket, ticket_id)


@router.post("/{ticket_id}/transitions", responses={**NOT_FOUND, **CONFLICT, **BAD_BODY})
async def transition_ticket(
    ticket_id: TicketId, transition: TransitionRequest, database: StaffDatabase
) -> TicketRead:
    """Move the ticket along received → diagnosing → repairing → ready → collected, or to
    cancelled from any status but the final ones. 409 names the allowed next statuses."""
    return await database.run(tickets.transition_ticket, ticket_id, transition.to)
