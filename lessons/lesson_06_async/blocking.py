"""The post's pattern, reproduced so it can be measured: do not copy it.

`async def` tells FastAPI the endpoint never blocks, so FastAPI runs it on the event loop
itself. The sync `Session` inside then blocks that loop for the whole query: while one
request waits for the database, no other request (not even `/health`) is served.
Compare it line by line with `list_tickets` in `app.py`: one word differs.
"""

from typing import Annotated

from fastapi import FastAPI, Query
from sqlalchemy import select

from .app import lifespan
from .db import SessionDep
from .models import Ticket
from .schemas import Status, TicketRead

app = FastAPI(title="RepairDesk (blocking: the post's async def + Session)", lifespan=lifespan)


@app.get("/health")
async def health() -> dict[str, str]:
    return {"status": "ok"}


# --8<-- [start:list]
@app.get("/tickets")
async def list_tickets(
    db: SessionDep,
    status: Status | None = None,
    limit: Annotated[int, Query(ge=1, le=100)] = 10,
) -> list[TicketRead]:
    """List tickets. WRONG: `async def` with a sync session blocks the event loop."""
    query = select(Ticket).order_by(Ticket.id).limit(limit)
    if status is not None:
        query = query.where(Ticket.status == status)
    return [TicketRead.model_validate(ticket) for ticket in db.scalars(query)]


# --8<-- [end:list]
