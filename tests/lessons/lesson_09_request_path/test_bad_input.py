"""Bounded input: a 422 stays small (the 413 is lesson 08's, in `test_behaviours.py`).

A 422 quotes back what it refuses, but at most 20 errors, short strings, finite numbers and
never a password: its size no longer grows with the body, nor does its cost on the event loop.
"""

from __future__ import annotations

import json
from typing import Any

import pytest
from fastapi.testclient import TestClient

from tests.lessons.lesson_09_request_path.conftest import USERS, Headers
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


def test_the_21st_error_is_counted_not_listed(
    client: TestClient, tech_headers: Headers, valid_ticket: dict[str, Any]
) -> None:
    body = valid_ticket | {f"unknown_{n}": n for n in range(21)}
    response = client.post(TICKETS, json=body, headers=tech_headers)
    *listed, summary = response.json()["detail"]
    assert [error["loc"][1] for error in listed] == [f"unknown_{n}" for n in range(20)]
    assert summary == {
        "type": "too_many_errors",
        "loc": [],
        "msg": "1 more error left out; fix these and send again",
    }


def test_a_long_string_is_quoted_back_shortened(
    client: TestClient, tech_headers: Headers, valid_ticket: dict[str, Any]
) -> None:
    body = valid_ticket | {"device_model": "x" * 100_000}
    [error] = client.post(TICKETS, json=body, headers=tech_headers).json()["detail"]
    assert error["input"] == "x" * 100 + "... (100000 characters)"


@pytest.mark.parametrize(("number", "quoted"), [("NaN", "NaN"), ("1e999", "Infinity")])
def test_a_non_finite_number_is_422_quoted_back_as_a_string(
    client: TestClient, tech_headers: Headers, number: str, quoted: str
) -> None:
    body = '{"customer_email": "a@example.com", "device_model": "Pixel", "estimated_cost": %s}'
    response = post_raw(client, tech_headers, (body % number).encode())
    assert response.status_code == 422
    [error] = response.json()["detail"]
    assert (error["loc"], error["input"]) == (["body", "estimated_cost"], quoted)


def test_a_refused_password_is_never_quoted_back(
    client: TestClient, admin_headers: Headers
) -> None:
    body = {"email": "new@example.com", "password": "hunter2"}  # too short
    response = client.post(USERS, json=body, headers=admin_headers)
    assert response.status_code == 422
    [error] = response.json()["detail"]
    assert (error["loc"], error["input"]) == (["body", "password"], "[redacted]")
    assert "hunter2" not in response.text
