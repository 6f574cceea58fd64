"""Errors the application knows about, and how each becomes an HTTP response.

Code that finds a problem raises a domain exception that says what went wrong
(`TicketNotFoundError`), not how HTTP reports it. The handlers below translate, in one place,
into the shape FastAPI uses for every error: `{"detail": ...}`. A client's mistake is a 4xx: a
422 quotes back what it refused, bounded and never a secret; a 405 names every method the path
allows. Anything else is a bug, answered with a JSON 500 that says nothing of it: the traceback
goes to the server's log, never to the client.
"""

import json
import math
import re
from collections.abc import Mapping, Sequence
from http import HTTPStatus
from typing import Any

from fastapi import FastAPI, Request, Response
from fastapi.encoders import jsonable_encoder
from fastapi.exception_handlers import http_exception_handler
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException
from starlette.routing import Match, Mount

from .users import ConflictError, UserNotFoundError


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


async def not_found(request: Request, exc: Exception) -> JSONResponse:
    return error_response(HTTPStatus.NOT_FOUND, str(exc))


async def conflict(request: Request, exc: Exception) -> JSONResponse:
    return error_response(HTTPStatus.CONFLICT, str(exc))


# --8<-- [end:handlers]


# --8<-- [start:echo]
MAX_LISTED_ERRORS = 20
MAX_ECHOED_CHARACTERS = 100
MAX_ECHOED_ITEMS = 10
MAX_ECHOED_DEPTH = 3
REDACTED = "[redacted]"
# Field names whose values are never quoted back: a 422 ends up in clients' logs.
SECRET_FIELD = re.compile("password|secret|token", re.IGNORECASE)


def how_many(count: int, noun: str) -> str:
    return f"{count} {noun}" if count == 1 else f"{count} {noun}s"


def echo(value: Any, depth: int = 0) -> Any:
    """`value` as a 422 may quote it: short, finite, JSON-safe, without secrets."""
    if value is None or isinstance(value, bool):
        return value
    if isinstance(value, int):
        # 64 bits hold every id and amount; a 4,000-digit number is no use quoted in full.
        return value if value.bit_length() <= 64 else f"<integer of {value.bit_length()} bits>"
    if isinstance(value, float):
        # `json.loads` accepts NaN and Infinity (and 1e999 overflows to it), but JSON has no
        # such numbers: quoted back as JSON's tokens, in a string, the response stays valid.
        if math.isnan(value):
            return "NaN"
        if math.isinf(value):
            return "Infinity" if value > 0 else "-Infinity"
        return value
    if isinstance(value, str):
        if len(value) <= MAX_ECHOED_CHARACTERS:
            return value
        return f"{value[:MAX_ECHOED_CHARACTERS]}... ({len(value)} characters)"
    if isinstance(value, bytes):
        return echo(value.decode("utf-8", errors="replace"), depth)
    if isinstance(value, Mapping):
        if depth >= MAX_ECHOED_DEPTH or len(value) > MAX_ECHOED_ITEMS:
            return f"<object of {how_many(len(value), 'field')}>"
        return {
            echo(str(key)): REDACTED if SECRET_FIELD.search(str(key)) else echo(item, depth + 1)
            for key, item in value.items()
        }
    if isinstance(value, Sequence):
        if depth >= MAX_ECHOED_DEPTH or len(value) > MAX_ECHOED_ITEMS:
            return f"<list of {how_many(len(value), 'item')}>"
        return [echo(item, depth + 1) for item in value]
    if isinstance(value, BaseException):  # a validator's ValueError, in `ctx`
        return echo(str(value), depth)
    try:  # Decimal, datetime, UUID...: as FastAPI would render them
        return echo(jsonable_encoder(value), depth)
    except (TypeError, ValueError):
        return echo(str(value), depth)


# --8<-- [end:echo]


# --8<-- [start:validation]
def describe(error: Mapping[str, Any]) -> dict[str, Any]:
    """One of FastAPI's validation errors, ready to quote back to the client."""
    loc = [echo(part) for part in error.get("loc", ())]
    entry: dict[str, Any] = {"type": error["type"], "loc": loc, "msg": str(error["msg"])}
    if "input" in error:
        names_a_secret = any(SECRET_FIELD.search(str(part)) for part in loc)
        entry["input"] = REDACTED if names_a_secret else echo(error["input"])
    if "ctx" in error:
        entry["ctx"] = echo(error["ctx"])
    return entry


def bounded(errors: Sequence[Any]) -> list[dict[str, Any]]:
    """The first errors, and one more entry saying how many were left out.

    A 1 MiB body of 100,000 unknown fields has 100,000 errors: listing them all takes a 14 MB
    response, built on the event loop for seconds while every other request waits.
    """
    listed = [describe(error) for error in errors[:MAX_LISTED_ERRORS]]
    left_out = len(errors) - len(listed)
    if left_out:
        listed.append(
            {
                "type": "too_many_errors",
                "loc": [],
                "msg": f"{how_many(left_out, 'more error')} left out; fix these and send again",
            }
        )
    return listed


class ASCIIJSONResponse(JSONResponse):
    """JSON with every non-ASCII character escaped (`\\u00e9`): it can carry any string.

    A lone surrogate such as `"\\ud800"` is valid in JSON but has no UTF-8 encoding, so a 422
    that echoes it back as FastAPI's own handler does would fail to render and become a 500.
    """

    def render(self, content: Any) -> bytes:
        return json.dumps(content, allow_nan=False, separators=(",", ":")).encode("ascii")


async def invalid_request(request: Request, exc: RequestValidationError) -> JSONResponse:
    """FastAPI's 422, bounded in size and safe to render whatever the client sent."""
    return ASCIIJSONResponse(
        {"detail": bounded(exc.errors())}, status_code=HTTPStatus.UNPROCESSABLE_ENTITY
    )


# --8<-- [end:validation]


# --8<-- [start:method-not-allowed]
HTTP_METHODS = ("DELETE", "GET", "HEAD", "OPTIONS", "PATCH", "POST", "PUT")


def allowed_methods(request: Request) -> set[str]:
    """The methods some route answers on this path: each asked for, with the router's own rules."""
    return {
        method
        for method in HTTP_METHODS
        for route in request.app.router.routes
        # A mount (static files, a sub-app) matches any method; the app behind it says which.
        if not isinstance(route, Mount)
        and route.matches({**request.scope, "method": method})[0] is Match.FULL
    }


async def http_error(request: Request, exc: HTTPException) -> Response:
    # The router's 405 lists the methods of the first route that matched the path: for
    # /tickets/{id} that is GET alone, though DELETE is a route of its own.
    is_405 = exc.status_code == HTTPStatus.METHOD_NOT_ALLOWED
    allowed = allowed_methods(request) if is_405 else set()
    if allowed:
        headers = {**(exc.headers or {}), "Allow": ", ".join(sorted(allowed))}
        exc = HTTPException(exc.status_code, exc.detail, headers=headers)
    return await http_exception_handler(request, exc)


# --8<-- [end:method-not-allowed]


# --8<-- [start:register]
async def unexpected_error(request: Request, exc: Exception) -> JSONResponse:
    # Starlette re-raises the exception once this response is sent, so the server still logs
    # the traceback for the operator. The client learns only that it was not its fault.
    return error_response(HTTPStatus.INTERNAL_SERVER_ERROR, "Internal server error")


def register_error_handlers(app: FastAPI) -> None:
    # The decorator, called directly: unlike add_exception_handler, it accepts a handler typed
    # for its own exception, so the handler can read the exception's fields without a cast.
    app.exception_handler(RequestValidationError)(invalid_request)
    app.exception_handler(HTTPException)(http_error)
    app.add_exception_handler(TicketNotFoundError, not_found)
    app.add_exception_handler(UserNotFoundError, not_found)
    app.add_exception_handler(ConflictError, conflict)
    app.add_exception_handler(Exception, unexpected_error)


# --8<-- [end:register]
