"""The second fix: `async def` all the way, with an `AsyncSession` whose queries are awaited.

Each `await` hands the event loop back while the database works, so one worker serves many
requests at once without a thread per request. It is all or nothing: one sync call to the
database left in an `async def` endpoint blocks the loop again, as in `blocking.py`.
"""

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import Depends, FastAPI
from sqlalchemy import func, select

from .async_db import AsyncDatabase, AsyncSessionDep, create_async_db_engine
from .db import DATABASE_URL
from .dependencies import PaginationDep, TicketFilterDep, get_caller
from .models import Ticket
from .schemas import TicketPage, TicketRead


@asynccontextmanager
async def lifespan(app: FastAPI) -> AsyncIterator[None]:
    database: AsyncDatabase = app.state.database
    await database.create_tables()
    yield
    await database.engine.dispose()


app = FastAPI(title="RepairDesk, async def + AsyncSession", lifespan=lifespan)
app.state.database = AsyncDatabase(create_async_db_engine(DATABASE_URL))


@app.get("/health")
async def health() -> dict[str, str]:
    return {"status": "ok"}


# --8<-- [start:list]
@app.get("/tickets", dependencies=[Depends(get_caller)])
async def list_tickets(
    session: AsyncSessionDep, page: PaginationDep, filters: TicketFilterDep
) -> TicketPage:
    """`async def` is right here: the queries are awaited, and the loop stays free meanwhile."""
    query = filters.apply(select(Ticket))
    total = await session.scalar(select(func.count()).select_from(query.subquery())) or 0
    tickets = await session.scalars(page.apply(query.order_by(Ticket.id)))
    return TicketPage(
        items=[TicketRead.model_validate(ticket) for ticket in tickets],
        total=total,
        limit=page.limit,
        offset=page.offset,
    )


# --8<-- [end:list]
