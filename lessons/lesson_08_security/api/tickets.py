"""Tickets: create, list, read, edit, delete, and move them along their life cycle.

The router writes the paths' prefix once instead of in every path, and `tags` groups the
routes under one heading in /docs; `create_app` includes the router. Each route documents
the errors it can answer (`api/responses.py`), so the OpenAPI document lists them too.
"""

from collections.abc import Mapping
from typing import Annotated, Any, Final, cast

from fastapi import APIRouter, Depends, HTTPException, Path, Request, Response, status
from sqlalchemy import CursorResult, func, select, update
from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

from ..db import SessionDep, utc_now
from ..errors import TicketNotFoundError
from ..models import MAX_ID, Ticket, TicketStatus
from ..schemas import (
    TicketCreate,
    TicketPage,
    TicketRead,
    TicketUpdate,
    TransitionRequest,
)
from .deps import (
    Audited,
    CurrentUser,
    PaginationDep,
    TicketFilterDep,
    get_current_user,
    require_admin,
)
from .responses import (
    ADMIN_ONLY,
    BAD_BODY,
    CONFLICT,
    NOT_FOUND,
    SERVER_ERROR,
    UNAUTHENTICATED,
)

# --8<-- [start:router]
# Every ticket route needs a signed-in user (the ones that change a ticket are audited too) and
# may answer 401 or 500: `responses` says so in the OpenAPI document, each route adds its own.
router = APIRouter(
    prefix="/tickets",
    tags=["tickets"],
    dependencies=[Depends(get_current_user)],
    responses={**UNAUTHENTICATED, **SERVER_ERROR},
)

TicketId = Annotated[int, Path(ge=1, le=MAX_ID, description="The ticket's id.")]
# --8<-- [end:router]


# --8<-- [start:state-machine]
S = TicketStatus
NEXT_STATUSES: Final[Mapping[TicketStatus, frozenset[TicketStatus]]] = {
    S.RECEIVED: frozenset({S.DIAGNOSING, S.CANCELLED}),
    S.DIAGNOSING: frozenset({S.REPAIRING, S.CANCELLED}),
    S.REPAIRING: frozenset({S.READY, S.CANCELLED}),
    S.READY: frozenset({S.COLLECTED, S.CANCELLED}),
    S.COLLECTED: frozenset(),  # final
    S.CANCELLED: frozenset(),  # final
}


class TransitionNotAllowedError(HTTPException):
    def __init__(self, current: TicketStatus, to: TicketStatus) -> None:
        allowed = sorted(NEXT_STATUSES[current], key=list(TicketStatus).index)
        choices = ", ".join(f"'{status}'" for status in allowed) or "none (it is final)"
        super().__init__(
            status.HTTP_409_CONFLICT,
            f"Cannot move a ticket from '{current}' to '{to}'; "
            f"allowed next statuses from '{current}': {choices}.",
        )
        self.current = current
        self.allowed = allowed


def check_transition(current: TicketStatus, to: TicketStatus) -> None:
    if to not in NEXT_STATUSES[current]:
        raise TransitionNotAllowedError(current, to)


# --8<-- [end:state-machine]


# --8<-- [start:routes]
@router.post(
    "",
    status_code=status.HTTP_201_CREATED,
    response_description="The ticket, its URL in the Location header",
    responses=BAD_BODY,
    dependencies=[Audited],
)
def create_ticket(
    data: TicketCreate,
    session: SessionDep,
    user: CurrentUser,
    request: Request,
    response: Response,
) -> TicketRead:
    """Open a ticket for a device that has just come in (status `received`)."""
    ticket = Ticket(**data.model_dump(), opened_by=user.email)
    session.add(ticket)
    session.flush()  # INSERT now, to learn the id; `get_db` commits once the endpoint is done
    response.headers["Location"] = request.app.url_path_for("read_ticket", ticket_id=ticket.id)
    return TicketRead.model_validate(ticket)


@router.get("")
def list_tickets(session: SessionDep, page: PaginationDep, filters: TicketFilterDep) -> TicketPage:
    """Tickets, oldest first, optionally only those in one status or for one kind of device."""
    query = filters.apply(select(Ticket))
    total = session.scalar(select(func.count()).select_from(query.subquery())) or 0
    tickets = session.scalars(page.apply(query.order_by(Ticket.id)))
    return TicketPage(
        items=[TicketRead.model_validate(ticket) for ticket in tickets],
        total=total,
        limit=page.limit,
        offset=page.offset,
    )


@router.get("/{ticket_id}", responses=NOT_FOUND)
def read_ticket(ticket_id: TicketId, session: SessionDep) -> TicketRead:
    """Read one ticket by its id."""
    return TicketRead.model_validate(get_ticket_or_raise(session, ticket_id))


@router.patch("/{ticket_id}", responses={**NOT_FOUND, **BAD_BODY}, dependencies=[Audited])
def update_ticket(ticket_id: TicketId, changes: TicketUpdate, session: SessionDep) -> TicketRead:
    """Edit the customer's email, the device, the estimate or the notes (not the status)."""
    ticket = get_ticket_or_raise(session, ticket_id)
    for field, value in changes.model_dump(exclude_unset=True).items():
        setattr(ticket, field, value)
    try:
        session.flush()  # `onupdate` refreshes updated_at if anything changed
    except StaleDataError:  # the UPDATE matched no row: deleted since it was read
        raise TicketNotFoundError(ticket_id) from None
    return TicketRead.model_validate(ticket)


@router.delete(
    "/{ticket_id}",
    status_code=status.HTTP_204_NO_CONTENT,
    responses={**ADMIN_ONLY, **NOT_FOUND},
    # The audit comes first, so that a refused attempt is audited too.
    dependencies=[Audited, Depends(require_admin)],
)
def delete_ticket(ticket_id: TicketId, session: SessionDep) -> None:
    """Delete a ticket opened by mistake (admins only)."""
    session.delete(get_ticket_or_raise(session, ticket_id))


# --8<-- [end:routes]


# --8<-- [start:transition]
@router.post(
    "/{ticket_id}/transitions",
    responses={**NOT_FOUND, **CONFLICT, **BAD_BODY},
    dependencies=[Audited],
)
def transition_ticket(
    ticket_id: TicketId, transition: TransitionRequest, session: SessionDep
) -> TicketRead:
    """Move the ticket along received → diagnosing → repairing → ready → collected, or to
    cancelled from any status but the final ones. 409 names the allowed next statuses.

    The UPDATE only matches while the ticket still has the status we checked (compare and
    set): of two requests racing for the same move, the database lets exactly one win.
    """
    while True:
        ticket = get_ticket_or_raise(session, ticket_id)
        current = ticket.status
        check_transition(current, transition.to)
        moved = cast(
            CursorResult[Any],
            session.execute(
                update(Ticket)
                .where(Ticket.id == ticket_id, Ticket.status == current)
                .values(status=transition.to, updated_at=utc_now())
            ),
        )
        if moved.rowcount == 1:
            return TicketRead.model_validate(ticket)
        # Another request moved (or deleted) it since we read it: read it again and judge
        # anew. Statuses only move forward, so this loop ends.
        session.expire(ticket)


# --8<-- [end:transition]


def get_ticket_or_raise(session: Session, ticket_id: int) -> Ticket:
    ticket = session.get(Ticket, ticket_id)  # by primary key; no query if already loaded
    if ticket is None:
        raise TicketNotFoundError(ticket_id)
    return ticket
