"""Give tickets a priority.

--8<-- [start:task]
**Ticket RD-201.** Urgent repairs get lost in the queue. Add a `priority` to tickets: a
client may send `"low"`, `"normal"` or `"urgent"` when it opens one, and gets `"normal"` when
it sends none; anything else is refused with a 422 pointing at `priority`. The ticket in the
response says its priority.
--8<-- [end:task]
"""

from datetime import UTC, datetime
from http import HTTPStatus

from fastapi import FastAPI

from lessons.lesson_02_validation import schemas


class TicketCreate(schemas.TicketCreate):
    """What a client sends to open a ticket, with a priority."""

    # TODO: add the `priority` field (see the task above).


class TicketRead(schemas.TicketRead):
    """What the server answers, with the ticket's priority."""

    # TODO: the response says the ticket's priority too.


app = FastAPI(title="RepairDesk, exercise 02.1")


@app.post("/tickets", status_code=HTTPStatus.CREATED)
def create_ticket(ticket: TicketCreate) -> TicketRead:
    """Open a repair ticket."""
    return TicketRead(id=1, status="received", created_at=datetime.now(UTC), **ticket.model_dump())
