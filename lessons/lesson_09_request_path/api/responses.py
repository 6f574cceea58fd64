"""The error responses operations declare, so the OpenAPI document lists them."""

from __future__ import annotations

from typing import Any

from ..schemas import ErrorMessage, OAuth2ErrorMessage

# The type of FastAPI's `responses=` parameter.
Responses = dict[int | str, dict[str, Any]]


def error(description: str) -> dict[str, Any]:
    return {"model": ErrorMessage, "description": description}


UNAUTHENTICATED: Responses = {401: error("Missing, invalid or expired bearer token")}
ADMIN_ONLY: Responses = {**UNAUTHENTICATED, 403: error("The caller is not an admin")}
NOT_FOUND: Responses = {404: error("No such resource")}
CONFLICT: Responses = {409: error("The request conflicts with the current state")}
BAD_BODY: Responses = {
    400: error("The body could not be parsed (e.g. not UTF-8)"),
    413: error("The body is larger than the configured limit"),
}
# The token endpoint's own errors (RFC 6749 §5.2), and its throttle.
OAUTH2_ERROR: Responses = {
    400: {
        "model": OAuth2ErrorMessage,
        "description": "Wrong email or password, or a deactivated account (`invalid_grant`)",
    }
}
TOO_MANY_ATTEMPTS: Responses = {
    429: {
        **error("Too many sign-in attempts for this email: wait `Retry-After` seconds"),
        "headers": {
            "Retry-After": {
                "description": "Seconds to wait",
                "schema": {"type": "integer", "minimum": 1, "maximum": 24 * 60 * 60},
            }
        },
    }
}
# What any operation may answer when the server, not the client, is at fault.
SERVER_ERROR: Responses = {500: error("A bug: the server logs it, the body says nothing of it")}
