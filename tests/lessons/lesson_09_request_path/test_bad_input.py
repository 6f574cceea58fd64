"""Bounded input: a body over the limit is a 413 before it is read, and a 422 stays small.

A 422 quotes back what it refuses, but at most 20 errors, short strings, finite numbers and
never a password: its size no longer grows with the body, nor does its cost on the event loop.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient
from starlette.types import Message, Receive, Scope, Send

from lessons.lesson_09_request_path.config import Settings
from lessons.lesson_09_request_path.main import create_app
from lessons.lesson_09_request_path.middleware import BodySizeLimitMiddleware
from tests.lessons.lesson_09_request_path.conftest import USERS, Headers
from tests.support.api_v1 import TICKETS

ONE_MIB = 1024 * 1024
TOO_LARGE = {"detail": f"Request body too large: the limit is {ONE_MIB} bytes"}


def post_raw(client: TestClient, headers: Headers, content: Any) -> Any:
    return client.post(
        TICKETS, content=content, headers={**headers, "Content-Type": "application/json"}
    )


# --- 413 --------------------------------------------------------------------------------------


def test_a_body_declared_over_one_mib_is_413(client: TestClient, tech_headers: Headers) -> None:
    response = post_raw(client, tech_headers, b" " * (ONE_MIB + 1))
    assert (response.status_code, response.json()) == (413, TOO_LARGE)


def test_a_streamed_body_over_one_mib_is_413_before_it_ends(
    client: TestClient, tech_headers: Headers
) -> None:
    def chunks() -> Iterator[bytes]:  # no Content-Length: chunked transfer
        for _ in range(100):
            yield b" " * (64 * 1024)

    response = post_raw(client, tech_headers, chunks())
    assert (response.status_code, response.json()) == (413, TOO_LARGE)


def test_a_declared_length_over_the_limit_is_refused_before_the_app_reads_a_byte() -> None:
    async def app(scope: Scope, receive: Receive, send: Send) -> None:
        raise AssertionError("the app ran")

    async def receive() -> Message:
        raise AssertionError("the body was read")

    sent: list[Message] = []

    async def send(message: Message) -> None:
        sent.append(message)

    limited = BodySizeLimitMiddleware(app, max_body_bytes=ONE_MIB)
    scope: Scope = {"type": "http", "headers": [(b"content-length", str(ONE_MIB + 1).encode())]}
    asyncio.run(limited(scope, receive, send))
    assert sent[0]["status"] == 413


def test_a_body_of_exactly_one_mib_is_read(client: TestClient, tech_headers: Headers) -> None:
    response = post_raw(client, tech_headers, b"{}" + b" " * (ONE_MIB - 2))
    assert response.status_code == 422  # read and validated: the fields are missing


def test_the_limit_is_a_setting(settings: Settings, tech_headers: Headers) -> None:
    app = create_app(settings.model_copy(update={"max_body_bytes": 100}))
    with TestClient(app) as client:
        assert post_raw(client, tech_headers, b" " * 100).status_code == 422
        assert post_raw(client, tech_headers, b" " * 101).status_code == 413


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
