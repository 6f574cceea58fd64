"""RepairDesk, lesson 06: why the endpoints stay `def`, measured.

FastAPI runs a `def` endpoint in its threadpool, so a query that blocks holds up one worker
thread, never the event loop: the endpoints of lesson 05 are already right, and this app keeps
them. Beside it, `blocking.py` reproduces the blog post's `async def` endpoint with a sync
session (the bug), and `async_session.py` shows the other fix: `async def` with an
`AsyncSession`. `/health` is new: the deadlock test asks it whether the server still answers.
"""

from collections.abc import AsyncIterator, Mapping
from contextlib import asynccontextmanager
from http import HTTPStatus
from typing import Annotated, Any, Final, cast

from fastapi import Depends, FastAPI, HTTPException, Path
from sqlalchemy import CursorResult, func, select, update
from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

from .db import DATABASE_URL, Database, SessionDep, create_db_engine, utc_now
from .dependencies import Audited, CallerDep, PaginationDep, TicketFilterDep, get_caller
from .errors import TicketNotFoundError, register_error_handlers
from .models import MAX_ID, Base, Ticket, TicketStatus
from .schemas import (
    ErrorMessage,
    TicketCreate,
    TicketPage,
    TicketRead,
    TicketUpdate,
    TrackingRead,
    TransitionRequest,
)


# --8<-- [start:lifespan]
@asynccontextmanager
async def lifespan(app: FastAPI) -> AsyncIterator[None]:
    """Before the first request: create the tables. After the last: close the connections."""
    database: Database = app.state.database
    # Blocking calls on the event loop, harmless here: they run before the first request and
    # after the last, when no request is waiting.
    # Creates the tables that are missing, never changes one: lesson 07 brings migrations.
    Base.metadata.create_all(database.engine)
    yield
    database.engine.dispose()


app = FastAPI(
    title="RepairDesk",
    summary="Repair tickets for a device-repair shop.",
    lifespan=lifespan,
)
register_error_handlers(app)
# Built once, when the module is imported; it connects only when first used. Tests put an
# in-memory database here before they start the app.
app.state.database = Database(create_db_engine(DATABASE_URL))
# --8<-- [end:lifespan]

# Documented in OpenAPI, so clients know which errors each operation can return.
NOT_FOUND: dict[int | str, dict[str, Any]] = {
    HTTPStatus.NOT_FOUND.value: {"model": ErrorMessage, "description": "No ticket has this id."}
}
CONFLICT: dict[int | str, dict[str, Any]] = {
    HTTPStatus.CONFLICT.value: {
        "model": ErrorMessage,
        "description": "The request conflicts with the current state",
    }
}

TicketId = Annotated[int, Path(ge=1, le=MAX_ID, description="The ticket's id.")]


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
            HTTPStatus.CONFLICT,
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
@app.get("/")
def read_root() -> dict[str, str]:
    """Say what this service is and where its interactive documentation lives."""
    return {"service": "RepairDesk", "docs": "/docs"}


@app.get("/health")
async def health() -> dict[str, str]:
    """Answer as long as the event loop runs. Nothing here blocks: `async def` is right."""
    return {"status": "ok"}


@app.post("/tickets", status_code=HTTPStatus.CREATED, dependencies=[Audited])
def create_ticket(ticket: TicketCreate, session: SessionDep, caller: CallerDep) -> TicketRead:
    """Open a repair ticket. The server sets the id, the status, who opened it and when."""
    created = Ticket(**ticket.model_dump(), opened_by=caller.name)
    session.add(created)
    session.flush()  # INSERT now, to learn the id; `get_db` commits once the endpoint is done
    return TicketRead.model_validate(created)


@app.get("/tickets", dependencies=[Depends(get_caller)])
def list_tickets(session: SessionDep, page: PaginationDep, filters: TicketFilterDep) -> TicketPage:
    """List tickets, optionally only those in one status or for one kind of device."""
    query = filters.apply(select(Ticket))
    total = session.scalar(select(func.count()).select_from(query.subquery())) or 0
    tickets = session.scalars(page.apply(query.order_by(Ticket.id)))
    return TicketPage(
        items=[TicketRead.model_validate(ticket) for ticket in tickets],
        total=total,
        limit=page.limit,
        offset=page.offset,
    )


@app.get("/tickets/{ticket_id}", responses=NOT_FOUND, dependencies=[Depends(get_caller)])
def read_ticket(ticket_id: TicketId, session: SessionDep) -> TicketRead:
    """Read one ticket by its id."""
    return TicketRead.model_validate(get_ticket_or_raise(session, ticket_id))


@app.patch("/tickets/{ticket_id}", responses=NOT_FOUND, dependencies=[Audited])
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


@app.delete(
    "/tickets/{ticket_id}",
    status_code=HTTPStatus.NO_CONTENT,
    responses=NOT_FOUND,
    dependencies=[Audited],  # the audit needs the caller, so this route needs an API key too
)
def delete_ticket(ticket_id: TicketId, session: SessionDep) -> None:
    """Delete a ticket opened by mistake."""
    session.delete(get_ticket_or_raise(session, ticket_id))


# --8<-- [end:routes]


# --8<-- [start:transition]
@app.post(
    "/tickets/{ticket_id}/transitions",
    responses={**NOT_FOUND, **CONFLICT},
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


# --8<-- [start:tracking]
# No API key: the customer's page. The code is the key, 96 random bits nobody can guess.
@app.get("/track/{tracking_code}", responses=NOT_FOUND)
def track_ticket(
    tracking_code: Annotated[str, Path(pattern=r"^[A-Za-z0-9_-]{1,64}$", max_length=64)],
    session: SessionDep,
) -> TrackingRead:
    """Status, device and last update of the ticket with this code; nothing else."""
    ticket = session.scalar(select(Ticket).where(Ticket.tracking_code == tracking_code))
    if ticket is None:
        raise HTTPException(HTTPStatus.NOT_FOUND, "No ticket with this tracking code")
    return TrackingRead.model_validate(ticket)


# --8<-- [end:tracking]


def get_ticket_or_raise(session: Session, ticket_id: int) -> Ticket:
    ticket = session.get(Ticket, ticket_id)  # by primary key; no query if already loaded
    if ticket is None:
        raise TicketNotFoundError(ticket_id)
    return ticket
