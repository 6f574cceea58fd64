"""Assertion messages written for a learner: what was asked, what happened."""

import traceback
from typing import Any, Protocol


class Response(Protocol):
    """What the checks read of a test client's response (httpx's or httpx2's)."""

    @property
    def status_code(self) -> int: ...

    @property
    def text(self) -> str: ...

    def json(self) -> Any: ...


def answered(request: str, response: Response, expected: int) -> str:
    """`GET /x should answer 200; it answered 404 {"detail": "Not Found"}`."""
    body = response.text if len(response.text) <= 300 else response.text[:300] + "..."
    return f"{request} should answer {expected}; it answered {response.status_code} {body}"


def error_locations(response: Response) -> list[list[str | int]]:
    """Where a 422's validation errors point, e.g. `[["query", "limit"]]`."""
    detail = response.json().get("detail")
    return [error["loc"] for error in detail] if isinstance(detail, list) else []


def assert_refused(request: str, response: Response, location: list[str | int]) -> None:
    """A 422 whose validation errors point at `location`, e.g. `["query", "limit"]`."""
    assert response.status_code == 422, answered(request, response, 422)
    found = error_locations(response)
    assert location in found, f"{request}: the 422 should point at {location}; it points at {found}"


def where_it_failed(failure: BaseException) -> str:
    """`at line 12, `assert x == 1` (its message)`: where a learner's own test failed."""
    line = traceback.extract_tb(failure.__traceback__)[-1]
    detail = f" ({failure})" if str(failure) else ""
    return f"at line {line.lineno}, `{line.line}`{detail}"
