"""Tickets: creating, reading, editing and moving them along their life cycle."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Final, cast

from sqlalchemy import CursorResult, bindparam, delete, func, select, update
from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

from ..db import utc_now
from ..models import Ticket, TicketStatus, User
from ..schemas import TicketCreate, TicketPage, TicketRead, TicketUpdate, TrackingRead
from ..security import Principal
from ..services.errors import ConflictError, NotFoundError
from ..services.users import check_account_state

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


class TransitionNotAllowedError(ConflictError):
    def __init__(self, current: TicketStatus, to: TicketStatus) -> None:
        allowed = sorted(NEXT_STATUSES[current], key=list(TicketStatus).index)
        choices = ", ".join(f"'{status}'" for status in allowed) or "none (it is final)"
        super().__init__(
            f"Cannot move a ticket from '{current}' to '{to}'; "
            f"allowed next statuses from '{current}': {choices}."
        )
        self.current = current
        self.allowed = allowed


def check_transition(current: TicketStatus, to: TicketStatus) -> None:
    if to not in NEXT_STATUSES[current]:
        raise TransitionNotAllowedError(current, to)


# --8<-- [end:state-machine]


class TicketNotFoundError(NotFoundError):
    def __init__(self, ticket_id: int) -> None:
        super().__init__(f"Ticket {ticket_id} not found")


def _get(session: Session, ticket_id: int) -> Ticket:
    ticket = session.get(Ticket, ticket_id)
    if ticket is None:
        raise TicketNotFoundError(ticket_id)
    return ticket


def create_ticket(session: Session, data: TicketCreate) -> TicketRead:
    ticket = Ticket(**data.model_dump())
    session.add(ticket)
    session.flush()  # assigns the id
    return TicketRead.model_validate(ticket)


# --8<-- [start:read]
# The hot path: built once, with placeholders, since on SQLite building a statement costs more
# than running it; run on the session's connection, since a row is all a TicketRead needs and
# the ORM's identity map and objects would double the cost. It checks the caller's account in
# the same statement (where each statement is a round trip, as on PostgreSQL, one instead of
# two): its row is the account's, joined to the ticket if there is one, else NULLs.
TICKET_AND_ACCOUNT = (
    select(User.is_active, User.role, Ticket)
    .outerjoin(Ticket, Ticket.id == bindparam("ticket_id"))
    .where(User.id == bindparam("user_id"))
)


def read_ticket_as(session: Session, principal: Principal, ticket_id: int) -> TicketRead:
    """The ticket, for a caller whose account `check_account_state` lets act."""
    params = {"user_id": principal.user_id, "ticket_id": ticket_id}
    rows = session.connection().execute(TICKET_AND_ACCOUNT, params)
    row = check_account_state(rows.one_or_none(), needs=None)  # a 401 before any 404
    if row.id is None:
        raise TicketNotFoundError(ticket_id)
    return TicketRead.model_validate(row._mapping)


# --8<-- [end:read]


def list_tickets(
    session: Session,
    *,
    status: TicketStatus | None,
    customer_email: str | None,
    limit: int,
    offset: int,
) -> TicketPage:
    query = select(Ticket)
    if status is not None:
        query = query.where(Ticket.status == status)
    if customer_email is not None:
        query = query.where(Ticket.customer_email == customer_email)
    total = session.scalar(select(func.count()).select_from(query.subquery())) or 0
    tickets = session.scalars(query.order_by(Ticket.id.desc()).limit(limit).offset(offset))
    return TicketPage(
        items=[TicketRead.model_validate(ticket) for ticket in tickets],
        total=total,
        limit=limit,
        offset=offset,
    )


def update_ticket(session: Session, ticket_id: int, changes: TicketUpdate) -> TicketRead:
    ticket = _get(session, ticket_id)
    for field, value in changes.model_dump(exclude_unset=True).items():
        setattr(ticket, field, value)
    try:
        session.flush()  # `onupdate` refreshes updated_at if anything changed
    except StaleDataError:  # the UPDATE matched no row: deleted since `_get` read it
        raise TicketNotFoundError(ticket_id) from None
    return TicketRead.model_validate(ticket)


def delete_ticket(session: Session, ticket_id: int) -> None:
    deleted = cast(CursorResult[Any], session.execute(delete(Ticket).where(Ticket.id == ticket_id)))
    if deleted.rowcount == 0:
        raise TicketNotFoundError(ticket_id)


# --8<-- [start:transition]
def transition_ticket(session: Session, ticket_id: int, to: TicketStatus) -> TicketRead:
    """Move a ticket to `to`, if its life cycle allows it; safe under concurrency.

    The UPDATE only matches while the ticket still has the status we checked (compare and
    set): of two requests racing for the same move, the database lets exactly one win, on
    SQLite and on PostgreSQL, in one process or across replicas.
    """
    while True:
        ticket = _get(session, ticket_id)
        current = ticket.status
        check_transition(current, to)
        moved = cast(
            CursorResult[Any],
            session.execute(
                update(Ticket)
                .where(Ticket.id == ticket_id, Ticket.status == current)
                .values(status=to, updated_at=utc_now())
            ),
        )
        if moved.rowcount == 1:
            return TicketRead.model_validate(ticket)
        # Another request moved (or deleted) it since we read it: read it again and judge
        # anew. Statuses only move forward, so this loop ends.
        session.expire(ticket)


# --8<-- [end:transition]


def track_ticket(session: Session, tracking_code: str) -> TrackingRead:
    ticket = session.scalar(select(Ticket).where(Ticket.tracking_code == tracking_code))
    if ticket is None:
        raise NotFoundError("No ticket with this tracking code")
    return TrackingRead.model_validate(ticket)
