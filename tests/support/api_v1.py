"""What the shared behaviours ask of an app with the `/api/v1` API (lessons 09, 11, final app).

The behaviours in `tests/behaviours/` were written against lesson 02's `/tickets`, a plain list,
oldest first. From lesson 09 the tickets live under `/api/v1`, a list is a page and the newest
come first; and from lesson 11 a bug's 500 quotes the request id. Those suites' conftests
import these fixtures rather than each writing them again.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import httpx2
import pytest

TICKETS = "/api/v1/tickets"
TOKEN = "/api/v1/auth/token"
USERS = "/api/v1/users"


@pytest.fixture
def tickets_path() -> str:
    return TICKETS


@pytest.fixture
def tracking_path() -> str:
    return "/api/v1/track"


@pytest.fixture
def users_path() -> str:
    return USERS


@pytest.fixture
def token_path() -> str:
    return TOKEN


@pytest.fixture
def listed_tickets() -> Callable[[Any], list[dict[str, Any]]]:
    """A list is a page: the tickets are its `items`, beside `total`, `limit` and `offset`."""

    def tickets(body: Any) -> list[dict[str, Any]]:
        assert body.keys() == {"items", "total", "limit", "offset"}, body
        items: list[dict[str, Any]] = body["items"]
        return items

    return tickets


@pytest.fixture
def newest_first() -> bool:
    return True


@pytest.fixture
def internal_error_body() -> Callable[[httpx2.Response], dict[str, Any]]:
    """A bug's 500 quotes the request id, for the client to report it (lesson 11 on)."""

    def body(response: httpx2.Response) -> dict[str, Any]:
        request_id = response.headers["X-Request-ID"]
        return {"detail": f"Internal server error; quote request id {request_id} when reporting it"}

    return body
