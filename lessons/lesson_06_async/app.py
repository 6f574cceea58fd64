"""RepairDesk, lesson 06: plain `def` endpoints on a sync session, and why they stay `def`.

FastAPI runs a `def` endpoint in a threadpool, so a query that blocks blocks one worker
thread, never the event loop. `blocking.py` shows what the post's `async def` does instead,
and `async_session.py` the other correct way: `async def` with an `AsyncSession`.
"""

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from http import HTTPStatus
from typing import Annotated

from fastapi import FastAPI, Query
from sqlalchemy import select

from .db import SessionDep, engine
from .errors import TicketNotFoundError, register_error_handlers
from .models import Base, Ticket
from .schemas import Status, TicketCreate, TicketRead


@asynccontextmanager
async def lifespan(app: FastAPI) -> AsyncIterator[None]:
    Base.metadata.create_all(engine)
    yield


app = FastAPI(title="RepairDesk", version="0.6.0", lifespan=lifespan)
register_error_handlers(app)


# --8<-- [start:health]
@app.get("/health")
async def health() -> dict[str, str]:
    """Answer as long as the event loop runs: `async def` is right when nothing blocks."""
    return {"status": "ok"}


# --8<-- [end:health]


@app.post("/tickets", status_code=HTTPStatus.CREATED)
def create_ticket(ticket: TicketCreate, db: SessionDep) -> TicketRead:
    created = Ticket(**ticket.model_dump())
    db.add(created)
    db.commit()
    return TicketRead.model_validate(created)


# --8<-- [start:list]
@app.get("/tickets")
def list_tickets(
    db: SessionDep,
    status: Status | None = None,
    limit: Annotated[int, Query(ge=1, le=100)] = 10,
) -> list[TicketRead]:
    """List tickets. A `def` endpoint: FastAPI runs it in its threadpool."""
    query = select(Ticket).order_by(Ticket.id).limit(limit)
    if status is not None:
        query = query.where(Ticket.status == status)
    return [TicketRead.model_validate(ticket) for ticket in db.scalars(query)]


# --8<-- [end:list]


@app.get("/tickets/{ticket_id}")
def read_ticket(ticket_id: int, db: SessionDep) -> TicketRead:
    ticket = db.get(Ticket, ticket_id)
    if ticket is None:
        raise TicketNotFoundError(ticket_id)
    return TicketRead.model_validate(ticket)
