"""Tickets: create (safe to retry with an `Idempotency-Key`), list, read, edit, delete, move.

The router writes the paths' prefix once instead of in every path, and `tags` groups the
routes under one heading in /docs; `create_app` includes the router. Each route documents
the errors it can answer (`api/responses.py`), so the OpenAPI document lists them too.
"""

from typing import Annotated

from fastapi import APIRouter, Depends, Header, Path, Request, Response, status

from ..models import MAX_ID
from ..schemas import (
    TicketCreate,
    TicketPage,
    TicketRead,
    TicketUpdate,
    TransitionRequest,
)
from ..services import idempotency, tickets
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
    error,
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
IdempotencyKeyHeader = Annotated[
    str | None,
    Header(
        alias="Idempotency-Key",
        min_length=1,
        max_length=255,
        pattern=r"^[A-Za-z0-9._:-]+$",
        description=(
            "Makes the create safe to retry: a new random value (a UUID) per ticket. A retry "
            "with the same key and body answers the first ticket, with `Idempotent-Replayed: "
            "true`, for 24 hours. At most 255 letters, digits, `.`, `_`, `:` or `-`."
        ),
        examples=["0b3c1a52-6d1e-4f7e-9b3e-2f9d8c7a6b5e"],
    ),
]
REPLAYED_HEADER = "Idempotent-Replayed"


@router.post(
    "",
    status_code=status.HTTP_201_CREATED,
    response_description="The ticket, its URL in the Location header",
    responses={
        201: {
            "headers": {
                REPLAYED_HEADER: {
                    "description": "`true` when this is the answer to an earlier request "
                    "with the same Idempotency-Key",
                    "schema": {"type": "string", "enum": ["true"]},
                }
            }
        },
        409: error("The Idempotency-Key was first used with a different body"),
        **BAD_BODY,
    },
)
async def create_ticket(
    data: TicketCreate,
    database: StaffDatabase,
    request: Request,
    response: Response,
    idempotency_key: IdempotencyKeyHeader = None,
) -> TicketRead:
    """Open a ticket for a device that has just come in (status `received`)."""
    if idempotency_key is None:
        ticket = await database.run(tickets.create_ticket, data)
    else:
        user_id = database.principal.user_id  # a key is one user's: others cannot replay it
        created = await database.run(
            idempotency.create_ticket_once, data, user_id=user_id, key=idempotency_key
        )
        ticket = created.ticket
        if created.replayed:
            response.headers[REPLAYED_HEADER] = "true"
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
