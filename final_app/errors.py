"""How errors become responses: every error the API answers with is JSON `{"detail": ...}`.

The services raise plain exceptions (`NotFoundError`, `ConflictError`, ...) that know nothing
of HTTP; `add_error_handlers` maps each to its status code, in one place.
"""

from __future__ import annotations

import json
from typing import Any

from fastapi import FastAPI, Request, status
from fastapi.encoders import jsonable_encoder
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse

from final_app.services.errors import (
    ConflictError,
    NotAuthenticatedError,
    NotFoundError,
    PermissionDeniedError,
)


async def not_found(_: Request, exc: Exception) -> JSONResponse:
    return JSONResponse({"detail": str(exc)}, status_code=status.HTTP_404_NOT_FOUND)


async def conflict(_: Request, exc: Exception) -> JSONResponse:
    return JSONResponse({"detail": str(exc)}, status_code=status.HTTP_409_CONFLICT)


async def not_authenticated(_: Request, exc: Exception) -> JSONResponse:
    # The header OAuth2 asks for on a 401: the client should (re)authenticate with a token.
    return JSONResponse(
        {"detail": str(exc)},
        status_code=status.HTTP_401_UNAUTHORIZED,
        headers={"WWW-Authenticate": "Bearer"},
    )


async def permission_denied(_: Request, exc: Exception) -> JSONResponse:
    return JSONResponse({"detail": str(exc)}, status_code=status.HTTP_403_FORBIDDEN)


class ASCIIJSONResponse(JSONResponse):
    """JSON with every non-ASCII character escaped (`\\u00e9`): it can carry any string.

    A lone surrogate such as `"\\ud800"` is valid in JSON but has no UTF-8 encoding, so a 422
    that echoes it back as FastAPI's own handler does would fail to render and become a 500.
    """

    def render(self, content: Any) -> bytes:
        return json.dumps(content, allow_nan=False, separators=(",", ":")).encode("ascii")


async def invalid_request(_: Request, exc: RequestValidationError) -> JSONResponse:
    """FastAPI's 422, rendered so that whatever the client sent can be quoted back."""
    return ASCIIJSONResponse(
        {"detail": jsonable_encoder(exc.errors())},
        status_code=status.HTTP_422_UNPROCESSABLE_CONTENT,
    )


def add_error_handlers(app: FastAPI) -> None:
    # The decorator, called directly: it accepts a handler typed for its own exception.
    app.exception_handler(RequestValidationError)(invalid_request)
    app.add_exception_handler(NotFoundError, not_found)
    app.add_exception_handler(ConflictError, conflict)
    app.add_exception_handler(NotAuthenticatedError, not_authenticated)
    app.add_exception_handler(PermissionDeniedError, permission_denied)
