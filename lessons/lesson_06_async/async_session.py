"""The second fix: `async def` all the way, with an `AsyncSession` whose queries are awaited.

Each `await` hands the event loop back while the database works, so one worker serves many
requests at once without the threadpool.
"""

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Annotated

from fastapi import FastAPI, Query
from sqlalchemy import select

from .async_db import AsyncSessionDep, async_engine
from .models import Base, Ticket
from .schemas import Status, TicketRead


@asynccontextmanager
async def lifespan(app: FastAPI) -> AsyncIterator[None]:
    async with async_engine.begin() as connection:
        await connection.run_sync(Base.metadata.create_all)
    yield
    await async_engine.dispose()  # close pooled connections (and their aiosqlite threads)


app = FastAPI(title="RepairDesk (async def + AsyncSession)", lifespan=lifespan)


@app.get("/health")
async def health() -> dict[str, str]:
    return {"status": "ok"}


# --8<-- [start:list]
@app.get("/tickets")
async def list_tickets(
    db: AsyncSessionDep,
    status: Status | None = None,
    limit: Annotated[int, Query(ge=1, le=100)] = 10,
) -> list[TicketRead]:
    """List tickets. `async def` is right here: the query is awaited, the loop stays free."""
    query = select(Ticket).order_by(Ticket.id).limit(limit)
    if status is not None:
        query = query.where(Ticket.status == status)
    return [TicketRead.model_validate(ticket) for ticket in await db.scalars(query)]


# --8<-- [end:list]
