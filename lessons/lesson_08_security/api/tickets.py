"""The tickets resource: lesson 06's ticket routes, on a router of their own.

`prefix="/tickets"` is written once here instead of in every path, and `tags` groups the
routes under one heading in /docs. `create_app` includes the router.
"""

from http import HTTPStatus
from typing import Any

from fastapi import APIRouter, Depends
from sqlalchemy import select
from sqlalchemy.orm import Session

from ..db import SessionDep
from ..errors import TicketNotFoundError
from ..models import Ticket
from ..schemas import TicketCreate, TicketRead
from .deps import (
    Audited,
    CurrentUser,
    PaginationDep,
    TicketFilterDep,
    get_current_user,
    require_admin,
)

router = APIRouter(prefix="/tickets", tags=["tickets"])

# Documented in OpenAPI, so clients know which errors each operation can return.
NOT_FOUND: dict[int | str, dict[str, Any]] = {
    HTTPStatus.NOT_FOUND.value: {"description": "No ticket has this id."}
}


# --8<-- [start:routes]
@router.post("", status_code=HTTPStatus.CREATED, dependencies=[Audited])
def create_ticket(ticket: TicketCreate, session: SessionDep, user: CurrentUser) -> TicketRead:
    """Open a repair ticket. The server sets the id, the status, who opened it and when."""
    created = Ticket(**ticket.model_dump(), opened_by=user.email)
    session.add(created)
    session.flush()  # INSERT now, to learn the id; `get_db` commits once the endpoint is done
    return TicketRead.model_validate(created)


@router.get("", dependencies=[Depends(get_current_user)])
def list_tickets(
    session: SessionDep, page: PaginationDep, filters: TicketFilterDep
) -> list[TicketRead]:
    """List tickets, optionally only those in one status or for one kind of device."""
    query = page.apply(filters.apply(select(Ticket).order_by(Ticket.id)))
    return [TicketRead.model_validate(ticket) for ticket in session.scalars(query)]


@router.get("/{ticket_id}", responses=NOT_FOUND, dependencies=[Depends(get_current_user)])
def read_ticket(ticket_id: int, session: SessionDep) -> TicketRead:
    """Read one ticket by its id."""
    return TicketRead.model_validate(get_ticket_or_raise(session, ticket_id))


@router.delete(
    "/{ticket_id}",
    status_code=HTTPStatus.NO_CONTENT,
    responses=NOT_FOUND,
    # The audit comes first, so that a refused attempt is audited too.
    dependencies=[Audited, Depends(require_admin)],
)
def delete_ticket(ticket_id: int, session: SessionDep) -> None:
    """Delete a ticket opened by mistake. Admins only."""
    session.delete(get_ticket_or_raise(session, ticket_id))


# --8<-- [end:routes]


def get_ticket_or_raise(session: Session, ticket_id: int) -> Ticket:
    ticket = session.get(Ticket, ticket_id)  # by primary key; no query if already loaded
    if ticket is None:
        raise TicketNotFoundError(ticket_id)
    return ticket
