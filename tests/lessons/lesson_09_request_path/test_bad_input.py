"""Bounded input on lesson 09's routes: a 1 MiB body of unknown fields, a long string.

The rest of the bounded 422 (20 errors at most, finite numbers, never a password) is lesson
03's and the 413 lesson 08's: both run from `test_behaviours.py`.
"""

from __future__ import annotations

import json
from typing import Any

from fastapi.testclient import TestClient

from tests.lessons.lesson_09_request_path.conftest import Headers
from tests.support.api_v1 import TICKETS

ONE_MIB = 1024 * 1024


def post_raw(client: TestClient, headers: Headers, content: Any) -> Any:
    return client.post(
        TICKETS, content=content, headers={**headers, "Content-Type": "application/json"}
    )


# --- 422, bounded -----------------------------------------------------------------------------


def unknown_fields_body(valid_ticket: dict[str, Any], size: int) -> tuple[bytes, int]:
    """A valid ticket padded to `size` bytes with short unknown fields, and how many."""
    parts = [json.dumps(valid_ticket)[1:-1]]
    length = len(parts[0]) + 2  # and the braces
    while length + len(field := f',"{len(parts) - 1:x}":0') <= size:
        parts.append(field)
        length += len(field)
    return ("{" + "".join(parts) + "}").encode(), len(parts) - 1


def test_a_body_of_100_000_unknown_fields_gets_one_small_error(
    client: TestClient, tech_headers: Headers, valid_ticket: dict[str, Any]
) -> None:
    body, unknown = unknown_fields_body(valid_ticket, ONE_MIB)
    assert unknown > 100_000
    response = post_raw(client, tech_headers, body)
    assert response.status_code == 422
    assert len(response.content) < 1_000
    [error] = response.json()["detail"]
    assert f"{unknown + 4} fields sent; this body has at most 4" in error["msg"]


def test_a_long_string_is_quoted_back_shortened(
    client: TestClient, tech_headers: Headers, valid_ticket: dict[str, Any]
) -> None:
    body = valid_ticket | {"device_model": "x" * 100_000}
    [error] = client.post(TICKETS, json=body, headers=tech_headers).json()["detail"]
    assert error["input"] == "x" * 100 + "... (100000 characters)"
