"""The blog post's pattern, reproduced so that it can be measured. Do not copy it.

`async def` tells FastAPI that the endpoint never blocks, so FastAPI runs it on the event loop
itself. The sync `Session` inside then blocks that loop for the whole query: while one request
waits for the database, no other request is served, not even `/health`. Compare
`list_tickets` below with the one in `app.py`: one word differs.
"""

from fastapi import Depends, FastAPI
from sqlalchemy import func, select

from .app import lifespan
from .db import DATABASE_URL, Database, SessionDep, create_db_engine
from .dependencies import PaginationDep, TicketFilterDep, get_caller
from .models import Ticket
from .schemas import TicketPage, TicketRead

app = FastAPI(title="RepairDesk, blocking: async def + a sync Session", lifespan=lifespan)
app.state.database = Database(create_db_engine(DATABASE_URL))


@app.get("/health")
async def health() -> dict[str, str]:
    return {"status": "ok"}


# --8<-- [start:list]
@app.get("/tickets", dependencies=[Depends(get_caller)])
async def list_tickets(
    session: SessionDep, page: PaginationDep, filters: TicketFilterDep
) -> TicketPage:
    """WRONG: an `async def` endpoint runs on the event loop, and these queries block it."""
    query = filters.apply(select(Ticket))
    total = session.scalar(select(func.count()).select_from(query.subquery())) or 0
    tickets = session.scalars(page.apply(query.order_by(Ticket.id)))
    return TicketPage(
        items=[TicketRead.model_validate(ticket) for ticket in tickets],
        total=total,
        limit=page.limit,
        offset=page.offset,
    )


# --8<-- [end:list]
