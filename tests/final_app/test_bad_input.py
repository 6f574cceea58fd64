"""A client's mistake is a 4xx with FastAPI's error shape, never a 500."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Iterator
from typing import Any

import pytest
from fastapi import HTTPException
from fastapi.testclient import TestClient
from starlette.types import Message, Receive, Scope, Send

from final_app.middleware import BodySizeLimitMiddleware

Headers = dict[str, str]
ONE_MIB = 1024 * 1024
TOO_LARGE = {"detail": f"Request body too large: the limit is {ONE_MIB} bytes"}


def post_raw(client: TestClient, headers: Headers, content: Any) -> Any:
    return client.post(
        "/api/v1/tickets",
        content=content,
        headers={**headers, "Content-Type": "application/json"},
    )


def test_malformed_json_is_422(client: TestClient, tech_headers: Headers) -> None:
    response = post_raw(client, tech_headers, b'{"customer_email": ')
    assert response.status_code == 422
    assert response.json()["detail"][0]["type"] == "json_invalid"


def test_a_body_that_is_not_utf8_is_400(client: TestClient, tech_headers: Headers) -> None:
    response = post_raw(client, tech_headers, b'{"device_model": "\xff\xfe"}')
    assert response.status_code == 400
    assert response.json() == {"detail": "There was an error parsing the body"}


def test_a_lone_surrogate_escape_is_422_and_quoted_back(
    client: TestClient, tech_headers: Headers, valid_ticket: dict[str, Any]
) -> None:
    # Valid JSON, but "\ud800" decodes to a string with no UTF-8 encoding.
    body = json.dumps(valid_ticket | {"device_model": "Pixel", "customer_email": "\ud800"})
    response = post_raw(client, tech_headers, body.encode())
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == ["body", "customer_email"]
    assert response.json()["detail"][0]["input"] == "\ud800"


@pytest.mark.parametrize("field", ["device_model", "notes"])
def test_a_nul_character_in_text_is_422(
    client: TestClient, tech_headers: Headers, valid_ticket: dict[str, Any], field: str
) -> None:
    # PostgreSQL cannot store it: without the check this is a 500 there, a row on SQLite.
    response = client.post(
        "/api/v1/tickets", json=valid_ticket | {field: "Pixel\x008"}, headers=tech_headers
    )
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == ["body", field]


def test_a_nul_character_in_a_tracking_code_is_422(client: TestClient) -> None:
    response = client.get("/api/v1/track/ab%00cd")
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == ["path", "tracking_code"]


def test_a_username_that_is_no_email_gets_the_usual_401(client: TestClient) -> None:
    response = client.post(
        "/api/v1/auth/token", data={"username": "ada\x00@example.com", "password": "whatever"}
    )
    assert response.status_code == 401
    assert response.json() == {"detail": "Incorrect email or password"}


def test_a_json_array_instead_of_an_object_is_422(
    client: TestClient, tech_headers: Headers
) -> None:
    assert post_raw(client, tech_headers, b"[1, 2]").status_code == 422


def test_a_huge_number_is_422(client: TestClient, tech_headers: Headers) -> None:
    huge = "1" + "0" * 400
    body = (
        f'{{"customer_email": "a@example.com", "device_model": "Pixel", "estimated_cost": {huge}}}'
    )
    response = post_raw(client, tech_headers, body.encode())
    assert response.status_code == 422


@pytest.mark.parametrize("ticket_id", ["2147483648", "9223372036854775808", "1" + "0" * 40])
def test_a_path_id_beyond_the_database_range_is_422(
    client: TestClient, tech_headers: Headers, ticket_id: str
) -> None:
    response = client.get(f"/api/v1/tickets/{ticket_id}", headers=tech_headers)
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == ["path", "ticket_id"]


@pytest.mark.parametrize("ticket_id", ["abc", "1.5", "0", "-1"])
def test_a_path_id_that_is_no_positive_integer_is_422(
    client: TestClient, tech_headers: Headers, ticket_id: str
) -> None:
    response = client.get(f"/api/v1/tickets/{ticket_id}", headers=tech_headers)
    assert response.status_code == 422


def test_the_largest_valid_id_is_a_plain_404(client: TestClient, tech_headers: Headers) -> None:
    assert client.get("/api/v1/tickets/2147483647", headers=tech_headers).status_code == 404


def test_a_body_declared_over_one_mib_is_413(client: TestClient, tech_headers: Headers) -> None:
    response = post_raw(client, tech_headers, b" " * (ONE_MIB + 1))
    assert response.status_code == 413
    assert response.json() == TOO_LARGE


def test_a_streamed_body_over_one_mib_is_413_before_it_ends(
    client: TestClient, tech_headers: Headers
) -> None:
    def chunks() -> Iterator[bytes]:  # no Content-Length: chunked transfer
        for _ in range(100):
            yield b" " * (64 * 1024)

    response = post_raw(client, tech_headers, chunks())
    assert response.status_code == 413
    assert response.json() == TOO_LARGE


def test_a_body_of_exactly_one_mib_is_read(client: TestClient, tech_headers: Headers) -> None:
    body = b"{}" + b" " * (ONE_MIB - 2)
    response = post_raw(client, tech_headers, body)
    assert response.status_code == 422  # read and validated: the fields are missing


def test_a_wrong_type_is_422_naming_the_field(
    client: TestClient, tech_headers: Headers, valid_ticket: dict[str, Any]
) -> None:
    response = client.post(
        "/api/v1/tickets", json={**valid_ticket, "device_model": 42}, headers=tech_headers
    )
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == ["body", "device_model"]


def test_the_limit_stops_reading_at_the_first_chunk_over_it() -> None:
    chunks_read = 0

    async def receive() -> Message:  # an endless stream of 600 kB chunks
        nonlocal chunks_read
        chunks_read += 1
        return {"type": "http.request", "body": b" " * 600_000, "more_body": True}

    async def read_everything(scope: Scope, receive: Receive, send: Send) -> None:
        while (await receive()).get("more_body"):
            pass

    async def send(message: Message) -> None:
        raise AssertionError("nothing is sent before the limit is hit")

    limited = BodySizeLimitMiddleware(read_everything, max_body_bytes=ONE_MIB)
    scope: Scope = {"type": "http", "headers": []}
    with pytest.raises(HTTPException) as refusal:
        asyncio.run(limited(scope, receive, send))
    assert refusal.value.status_code == 413
    assert chunks_read == 2  # 1.2 MB read, not one byte more
