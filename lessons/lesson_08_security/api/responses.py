"""The error responses operations declare, so the OpenAPI document lists them."""

from __future__ import annotations

from typing import Any

from ..schemas import ErrorMessage

# The type of FastAPI's `responses=` parameter.
Responses = dict[int | str, dict[str, Any]]


def error(description: str) -> dict[str, Any]:
    return {"model": ErrorMessage, "description": description}


UNAUTHENTICATED: Responses = {401: error("Missing, invalid or expired bearer token")}
ADMIN_ONLY: Responses = {**UNAUTHENTICATED, 403: error("The caller is not an admin")}
NOT_FOUND: Responses = {404: error("No such resource")}
CONFLICT: Responses = {409: error("The request conflicts with the current state")}
# What any operation may answer when the server, not the client, is at fault.
SERVER_ERROR: Responses = {500: error("A bug: the server logs it, the body says nothing of it")}
