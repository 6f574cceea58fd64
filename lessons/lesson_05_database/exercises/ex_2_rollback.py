"""Test first, then fix the rollback bug.

--8<-- [start:task]
**Ticket RD-502.** `POST /tickets/cancel` with `{"ticket_ids": [1, 2, 99]}` cancels several
tickets at once (a customer withdrawing a whole order), and answers 404 when one id is unknown.
But after that 404, tickets 1 and 2 *are* cancelled: the request failed, yet what it wrote
before failing was kept. First, write
`test_a_failed_batch_cancels_nothing` in the file: open two tickets, send a batch with
their ids and an unknown one, expect the 404, then read both tickets back and assert they are
still `"received"`. Run the check, `nox -s check -- 05`: it runs your test, and reports it
failing while the bug is there. Then fix the bug, which is in `get_db`, and watch your test
pass. A successful batch must still be saved.
--8<-- [end:task]
"""

from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager
from http import HTTPStatus
from typing import Annotated

import pytest
from fastapi import Depends, FastAPI, Request
from fastapi.testclient import TestClient
from pydantic import BaseModel
from sqlalchemy import create_engine
from sqlalchemy.orm import Session
from sqlalchemy.pool import StaticPool

from lessons.lesson_05_database.app import check_transition
from lessons.lesson_05_database.db import Database
from lessons.lesson_05_database.errors import TicketNotFoundError, register_error_handlers
from lessons.lesson_05_database.models import Base, Ticket, TicketStatus
from lessons.lesson_05_database.schemas import TicketCreate, TicketRead


@asynccontextmanager
async def lifespan(app: FastAPI) -> AsyncIterator[None]:
    database: Database = app.state.database
    Base.metadata.create_all(database.engine)
    yield
    database.engine.dispose()


app = FastAPI(title="RepairDesk, exercise 05.2", lifespan=lifespan)
register_error_handlers(app)
# A private in-memory database: StaticPool gives every session the same connection.
app.state.database = Database(
    create_engine("sqlite://", poolclass=StaticPool, connect_args={"check_same_thread": False})
)


def get_db(request: Request) -> Iterator[Session]:
    """One session per request."""
    database: Database = request.app.state.database
    with database.sessions() as session:
        try:
            yield session
        finally:
            session.commit()  # TODO: this is the bug. What must happen when the request failed?


SessionDep = Annotated[Session, Depends(get_db, scope="function")]


class Batch(BaseModel):
    ticket_ids: list[int]


@app.post("/tickets", status_code=HTTPStatus.CREATED)
def create_ticket(ticket: TicketCreate, session: SessionDep) -> TicketRead:
    created = Ticket(**ticket.model_dump(), opened_by="front desk")
    session.add(created)
    session.flush()
    return TicketRead.model_validate(created)


@app.get("/tickets/{ticket_id}")
def read_ticket(ticket_id: int, session: SessionDep) -> TicketRead:
    ticket = session.get(Ticket, ticket_id)
    if ticket is None:
        raise TicketNotFoundError(ticket_id)
    return TicketRead.model_validate(ticket)


@app.post("/tickets/cancel")
def cancel_tickets(batch: Batch, session: SessionDep) -> list[TicketRead]:
    """Cancel several tickets: all of them, or none when one id is unknown."""
    cancelled = []
    for ticket_id in batch.ticket_ids:
        ticket = session.get(Ticket, ticket_id)
        if ticket is None:
            raise TicketNotFoundError(ticket_id)
        check_transition(ticket.status, TicketStatus.CANCELLED)  # the life cycle's rule: a 409
        ticket.status = TicketStatus.CANCELLED
        session.flush()
        cancelled.append(TicketRead.model_validate(ticket))
    return cancelled


@pytest.fixture
def client() -> Iterator[TestClient]:
    with TestClient(app) as client:
        yield client


def test_a_failed_batch_cancels_nothing(client: TestClient) -> None:
    """A batch with an unknown id is a 404 and leaves every ticket as it was."""
    # TODO: write this test first (see the task), and see it fail before you fix get_db.
    raise NotImplementedError("write test_a_failed_batch_cancels_nothing")
