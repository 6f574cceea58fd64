"""RepairDesk, lesson 06: why the endpoints stay `def`, measured.

FastAPI runs a `def` endpoint in its threadpool, so a query that blocks holds up one worker
thread, never the event loop: the endpoints of lesson 05 are already right, and this app keeps
them. Beside it, `blocking.py` reproduces the blog post's `async def` endpoint with a sync
session (the bug), and `async_session.py` shows the other fix: `async def` with an
`AsyncSession`. `/health` is new: the deadlock test asks it whether the server still answers.
"""

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from http import HTTPStatus
from typing import Any

from fastapi import Depends, FastAPI
from sqlalchemy import select
from sqlalchemy.orm import Session

from .db import DATABASE_URL, Database, SessionDep, create_db_engine
from .dependencies import Audited, CallerDep, PaginationDep, TicketFilterDep, get_caller
from .errors import TicketNotFoundError, register_error_handlers
from .models import Ticket
from .schemas import TicketCreate, TicketRead


# --8<-- [start:lifespan]
@asynccontextmanager
async def lifespan(app: FastAPI) -> AsyncIterator[None]:
    """Before the first request: create the tables. After the last: close the connections."""
    database: Database = app.state.database
    # Blocking calls on the event loop, harmless here: they run before the first request and
    # after the last, when no request is waiting.
    database.create_tables()
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
    HTTPStatus.NOT_FOUND.value: {"description": "No ticket has this id."}
}


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
def list_tickets(
    session: SessionDep, page: PaginationDep, filters: TicketFilterDep
) -> list[TicketRead]:
    """List tickets, optionally only those in one status or for one kind of device."""
    query = page.apply(filters.apply(select(Ticket).order_by(Ticket.id)))
    return [TicketRead.model_validate(ticket) for ticket in session.scalars(query)]


@app.get("/tickets/{ticket_id}", responses=NOT_FOUND, dependencies=[Depends(get_caller)])
def read_ticket(ticket_id: int, session: SessionDep) -> TicketRead:
    """Read one ticket by its id."""
    return TicketRead.model_validate(get_ticket_or_raise(session, ticket_id))


@app.delete(
    "/tickets/{ticket_id}",
    status_code=HTTPStatus.NO_CONTENT,
    responses=NOT_FOUND,
    dependencies=[Audited],  # the audit needs the caller, so this route needs an API key too
)
def delete_ticket(ticket_id: int, session: SessionDep) -> None:
    """Delete a ticket opened by mistake."""
    session.delete(get_ticket_or_raise(session, ticket_id))


# --8<-- [end:routes]


def get_ticket_or_raise(session: Session, ticket_id: int) -> Ticket:
    ticket = session.get(Ticket, ticket_id)  # by primary key; no query if already loaded
    if ticket is None:
        raise TicketNotFoundError(ticket_id)
    return ticket
