"""The error responses operations declare, so the OpenAPI document lists them."""

from __future__ import annotations

from typing import Any

from final_app.schemas import ErrorMessage

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
