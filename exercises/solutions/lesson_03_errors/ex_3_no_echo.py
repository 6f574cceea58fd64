"""Exercise 03.3, solved: a 422 that says where, why and which rule, never what was sent.

The handler replaces FastAPI's own for `RequestValidationError`; it keeps FastAPI's shape and
every key but `input`, so that clients reading `detail[i].loc`, `detail[i].msg` or
`detail[i].ctx` see no difference.
"""

from datetime import UTC, datetime
from http import HTTPStatus

from fastapi import FastAPI, Request
from fastapi.encoders import jsonable_encoder
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse

from lessons.lesson_03_errors.errors import register_error_handlers
from lessons.lesson_03_errors.schemas import TicketCreate, TicketRead

app = FastAPI(title="RepairDesk, exercise 03.3")
register_error_handlers(app)


async def validation_failed(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, RequestValidationError)
    errors = [{key: value for key, value in e.items() if key != "input"} for e in exc.errors()]
    return JSONResponse(
        status_code=HTTPStatus.UNPROCESSABLE_ENTITY, content=jsonable_encoder({"detail": errors})
    )


app.add_exception_handler(RequestValidationError, validation_failed)


@app.post("/tickets", status_code=HTTPStatus.CREATED)
def create_ticket(ticket: TicketCreate) -> TicketRead:
    """Open a repair ticket."""
    return TicketRead(id=1, status="received", created_at=datetime.now(UTC), **ticket.model_dump())
