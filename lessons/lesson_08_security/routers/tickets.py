"""The tickets resource: every route under /tickets, on a router `create_app` includes."""

from http import HTTPStatus
from typing import Any

from fastapi import APIRouter, Depends
from sqlalchemy import select

from ..db import SessionDep
from ..dependencies import (
    Audited,
    CurrentUser,
    PaginationDep,
    TicketFilterDep,
    get_current_user,
    require_admin,
)
from ..errors import TicketNotFoundError
from ..models import Ticket
from ..schemas import TicketCreate, TicketRead

router = APIRouter(prefix="/tickets", tags=["tickets"])

# Documented in OpenAPI, so clients know which errors each operation can return.
NOT_FOUND: dict[int | str, dict[str, Any]] = {
    HTTPStatus.NOT_FOUND.value: {"description": "No ticket has this id."}
}


@router.post("", status_code=HTTPStatus.CREATED, dependencies=[Audited])
def create_ticket(ticket: TicketCreate, user: CurrentUser, db: SessionDep) -> TicketRead:
    """Open a repair ticket. The server sets the id, the status, who opened it and when."""
    created = Ticket(**ticket.model_dump(), opened_by=user.username)
    db.add(created)
    db.commit()
    return TicketRead.model_validate(created)


@router.get("", dependencies=[Depends(get_current_user)])
def list_tickets(page: PaginationDep, filters: TicketFilterDep, db: SessionDep) -> list[TicketRead]:
    """List tickets, optionally only those in one status or for one kind of device."""
    query = select(Ticket).order_by(Ticket.id)
    matching = [TicketRead.model_validate(t) for t in db.scalars(query)]
    return page.apply([t for t in matching if filters.matches(t)])


@router.get("/{ticket_id}", responses=NOT_FOUND, dependencies=[Depends(get_current_user)])
def read_ticket(ticket_id: int, db: SessionDep) -> TicketRead:
    """Read one ticket by its id."""
    return TicketRead.model_validate(get_ticket_or_raise(db, ticket_id))


@router.delete(
    "/{ticket_id}",
    status_code=HTTPStatus.NO_CONTENT,
    responses=NOT_FOUND,
    # Audited first: a refused attempt is audited too.
    dependencies=[Audited, Depends(require_admin)],
)
def delete_ticket(ticket_id: int, db: SessionDep) -> None:
    """Delete a ticket opened by mistake. Admins only."""
    db.delete(get_ticket_or_raise(db, ticket_id))
    db.commit()


def get_ticket_or_raise(db: SessionDep, ticket_id: int) -> Ticket:
    ticket = db.get(Ticket, ticket_id)
    if ticket is None:
        raise TicketNotFoundError(ticket_id)
    return ticket
