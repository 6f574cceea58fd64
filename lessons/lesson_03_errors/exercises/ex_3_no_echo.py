"""Stop echoing what the client sent in a 422.

--8<-- [start:task]
**Ticket RD-303.** The lesson's 422 quotes back, in each error's `input`, the value that was
refused: shortened and never a password, but still a customer's mistyped email address or the
start of a note with a phone number. Those answers end up in browser consoles, proxies and
client logs. Register a handler for `RequestValidationError` that answers the same 422, each
error as the lesson's `bounded` writes it, less its `input`. Keep `ctx` where an error has one:
`{"max_length": 2000}` tells a client the rule it broke, not what it sent. The shape stays
FastAPI's, `{"detail": [...]}`, so clients that read `loc` and `msg` keep working.
--8<-- [end:task]
"""

from datetime import UTC, datetime
from http import HTTPStatus

from fastapi import FastAPI

from lessons.lesson_03_errors.errors import register_error_handlers
from lessons.lesson_03_errors.schemas import TicketCreate, TicketRead

app = FastAPI(title="RepairDesk, exercise 03.3")
register_error_handlers(app)
# TODO: register a handler for RequestValidationError that leaves out what the client sent.


@app.post("/tickets", status_code=HTTPStatus.CREATED)
def create_ticket(ticket: TicketCreate) -> TicketRead:
    """Open a repair ticket."""
    return TicketRead(id=1, status="received", created_at=datetime.now(UTC), **ticket.model_dump())
