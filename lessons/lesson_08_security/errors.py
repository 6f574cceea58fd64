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


class LoginRefusedError(Exception):
    """The username and password do not match: which of the two was wrong, nobody is told."""

    def __init__(self) -> None:
        super().__init__("Incorrect username or password")


class TooManyLoginAttemptsError(Exception):
    """This username has used up its login attempts; it may try again in `retry_after` s."""

    def __init__(self, retry_after: int) -> None:
        super().__init__(f"Too many login attempts; try again in {retry_after} seconds")
        self.retry_after = retry_after


# --8<-- [end:exceptions]


# --8<-- [start:handlers]
def error_response(status: HTTPStatus, detail: str) -> JSONResponse:
    """The one error shape of this API, the same as FastAPI's own."""
    return JSONResponse(status_code=status, content={"detail": detail})


async def ticket_not_found(request: Request, exc: Exception) -> JSONResponse:
    return error_response(HTTPStatus.NOT_FOUND, str(exc))


async def login_refused(request: Request, exc: Exception) -> JSONResponse:
    # OAuth2 (RFC 6749, section 5.2) answers a refused grant with a 400 and an `error` code.
    body = {"error": "invalid_grant", "detail": str(exc)}
    return JSONResponse(status_code=HTTPStatus.BAD_REQUEST, content=body)


async def too_many_login_attempts(request: Request, exc: TooManyLoginAttemptsError) -> JSONResponse:
    response = error_response(HTTPStatus.TOO_MANY_REQUESTS, str(exc))
    response.headers["Retry-After"] = str(exc.retry_after)  # seconds: when to try again
    return response


async def unexpected_error(request: Request, exc: Exception) -> JSONResponse:
    # Starlette re-raises the exception once this response is sent, so the server still logs
    # the traceback for the operator. The client learns only that it was not its fault.
    return error_response(HTTPStatus.INTERNAL_SERVER_ERROR, "Internal server error")


def register_error_handlers(app: FastAPI) -> None:
    app.add_exception_handler(TicketNotFoundError, ticket_not_found)
    app.add_exception_handler(LoginRefusedError, login_refused)
    # The decorator, called directly: unlike add_exception_handler, it accepts a handler typed
    # for its own exception, so the handler can read `retry_after` without a cast.
    app.exception_handler(TooManyLoginAttemptsError)(too_many_login_attempts)
    app.add_exception_handler(Exception, unexpected_error)


# --8<-- [end:handlers]
