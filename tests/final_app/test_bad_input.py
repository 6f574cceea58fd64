"""A client's mistake is a 4xx with FastAPI's error shape, never a 500.

A 422 quotes back what it refuses, but bounded: at most 20 errors, short strings, summaries of
big values, finite numbers only, and never a password.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Annotated, Any

import pytest
from fastapi import Form
from fastapi.testclient import TestClient

Headers = dict[str, str]
ONE_MIB = 1024 * 1024


def post_raw(client: TestClient, headers: Headers, content: Any) -> Any:
    return client.post(
        "/api/v1/tickets",
        content=content,
        headers={**headers, "Content-Type": "application/json"},
    )


def test_a_body_that_is_not_utf8_is_400(client: TestClient, tech_headers: Headers) -> None:
    response = post_raw(client, tech_headers, b'{"device_model": "\xff\xfe"}')
    assert response.status_code == 400
    assert response.json() == {"detail": "There was an error parsing the body"}


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


def test_a_username_that_is_no_email_gets_the_usual_invalid_grant(client: TestClient) -> None:
    response = client.post(
        "/api/v1/auth/token", data={"username": "ada\x00@example.com", "password": "whatever"}
    )
    assert response.status_code == 400
    assert response.json() == {"error": "invalid_grant", "detail": "Incorrect email or password"}


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


@pytest.mark.parametrize("ticket_id", ["1.5", "0", "-1"])  # "abc": the routing behaviour
def test_a_path_id_that_is_no_positive_integer_is_422(
    client: TestClient, tech_headers: Headers, ticket_id: str
) -> None:
    response = client.get(f"/api/v1/tickets/{ticket_id}", headers=tech_headers)
    assert response.status_code == 422


def test_the_largest_valid_id_is_a_plain_404(client: TestClient, tech_headers: Headers) -> None:
    assert client.get("/api/v1/tickets/2147483647", headers=tech_headers).status_code == 404


def test_a_wrong_type_is_422_naming_the_field(
    client: TestClient, tech_headers: Headers, valid_ticket: dict[str, Any]
) -> None:
    response = client.post(
        "/api/v1/tickets", json={**valid_ticket, "device_model": 42}, headers=tech_headers
    )
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == ["body", "device_model"]


# --8<-- [end:non-finite]


def unknown_fields_body(valid_ticket: dict[str, Any], size: int) -> tuple[bytes, int]:
    """A valid ticket padded to `size` bytes with short unknown fields, and how many."""
    fields = json.dumps(valid_ticket)[1:-1]
    unknown = 0
    while len(fields) + len(f',"{unknown:x}":0') + 2 <= size:
        fields += f',"{unknown:x}":0'
        unknown += 1
    return ("{" + fields + "}").encode(), unknown


def test_a_body_of_100_000_unknown_fields_gets_one_small_error(
    client: TestClient, tech_headers: Headers, valid_ticket: dict[str, Any]
) -> None:
    """One error, not 100,000 built and thrown away: FastAPI's own 422 for it is 14 MB."""
    body, unknown = unknown_fields_body(valid_ticket, ONE_MIB)
    assert unknown > 100_000
    response = post_raw(client, tech_headers, body)
    assert response.status_code == 422
    assert len(response.content) < 1_000
    [error] = response.json()["detail"]
    assert error["loc"] == ["body"]
    assert f"{unknown + 4} fields sent; this body has at most 4" in error["msg"]


def test_up_to_100_unknown_fields_are_each_named(
    client: TestClient, tech_headers: Headers, valid_ticket: dict[str, Any]
) -> None:
    body = valid_ticket | {f"unknown_{n}": n for n in range(100)}
    response = client.post("/api/v1/tickets", json=body, headers=tech_headers)
    *listed, summary = response.json()["detail"]
    assert [error["type"] for error in listed] == ["extra_forbidden"] * 20
    assert summary == {
        "type": "too_many_errors",
        "loc": [],
        "msg": "80 more errors left out; fix these and send again",
    }


def test_a_long_string_is_quoted_back_shortened(
    client: TestClient, tech_headers: Headers, valid_ticket: dict[str, Any]
) -> None:
    body = valid_ticket | {"device_model": "x" * 100_000}
    response = client.post("/api/v1/tickets", json=body, headers=tech_headers)
    assert response.status_code == 422
    [error] = response.json()["detail"]
    assert error["input"] == "x" * 100 + "... (100000 characters)"


def test_a_nested_value_is_quoted_back_three_levels_deep(
    client: TestClient, tech_headers: Headers, valid_ticket: dict[str, Any]
) -> None:
    nested = {"a": {"b": {"c": {"d": 1}}}}
    response = client.post(
        "/api/v1/tickets", json=valid_ticket | {"notes": nested}, headers=tech_headers
    )
    [error] = response.json()["detail"]
    assert error["input"] == {"a": {"b": {"c": "<object of 1 field>"}}}


SECRET_PASSWORD = "hunter2"  # too short: refused, and never to be quoted back


def test_a_password_in_a_form_is_never_quoted_back(
    client: TestClient, test_route: Callable[..., str]
) -> None:
    async def change_password(new_password: Annotated[str, Form(min_length=8)]) -> None:
        """A form with a password field, as a sign-up page would post it."""

    path = test_route("/test/change-password", change_password)
    response = client.post(path, data={"new_password": SECRET_PASSWORD})
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == ["body", "new_password"]
    assert SECRET_PASSWORD not in response.text
