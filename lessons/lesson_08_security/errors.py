"""Errors the application knows about, and how each becomes an HTTP response.

Code that finds a problem raises a domain exception that says what went wrong
(`TicketNotFoundError`), not how HTTP reports it. The handlers below translate, in one place,
into the shape FastAPI uses for every error: `{"detail": ...}`. Anything unexpected becomes a
plain 500: the traceback goes to the server's log, never to the client.
"""

from http import HTTPStatus

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse


# --8<-- [start:exceptions]
class TicketNotFoundError(Exception):
    """No ticket has this id."""

    def __init__(self, ticket_id: int) -> None:
        super().__init__(f"Ticket {ticket_id} not found")
        self.ticket_id = ticket_id


# --8<-- [end:exceptions]


# --8<-- [start:handlers]
def error_response(status: HTTPStatus, detail: str) -> JSONResponse:
    """The one error shape of this API, the same as FastAPI's own."""
    return JSONResponse(status_code=status, content={"detail": detail})


async def ticket_not_found(request: Request, exc: Exception) -> JSONResponse:
    return error_response(HTTPStatus.NOT_FOUND, str(exc))


async def unexpected_error(request: Request, exc: Exception) -> JSONResponse:
    # Starlette re-raises the exception once this response is sent, so the server still logs
    # the traceback for the operator. The client learns only that it was not its fault.
    return error_response(HTTPStatus.INTERNAL_SERVER_ERROR, "Internal server error")


def register_error_handlers(app: FastAPI) -> None:
    app.add_exception_handler(TicketNotFoundError, ticket_not_found)
    app.add_exception_handler(Exception, unexpected_error)


# --8<-- [end:handlers]
