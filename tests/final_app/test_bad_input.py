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


# --8<-- [start:non-finite]
@pytest.mark.parametrize(
    ("number", "quoted"),
    [
        ("NaN", "NaN"),
        ("Infinity", "Infinity"),
        ("-Infinity", "-Infinity"),
        ("1e999", "Infinity"),  # too large for a float: Python reads it as infinity
        ("-1e400", "-Infinity"),
    ],
)
def test_a_non_finite_number_is_422_quoted_back_as_a_string(
    client: TestClient, tech_headers: Headers, number: str, quoted: str
) -> None:
    body = '{"customer_email": "a@example.com", "device_model": "Pixel", "estimated_cost": %s}'
    response = post_raw(client, tech_headers, (body % number).encode())
    assert response.status_code == 422
    assert response.headers["Content-Type"] == "application/json"
    [error] = response.json()["detail"]
    assert (error["loc"], error["input"]) == (["body", "estimated_cost"], quoted)


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


def test_the_21st_error_is_counted_not_listed(
    client: TestClient, tech_headers: Headers, valid_ticket: dict[str, Any]
) -> None:
    body = valid_ticket | {f"unknown_{n}": n for n in range(21)}
    response = client.post("/api/v1/tickets", json=body, headers=tech_headers)
    *listed, summary = response.json()["detail"]
    assert [error["loc"][1] for error in listed] == [f"unknown_{n}" for n in range(20)]
    assert summary["msg"] == "1 more error left out; fix these and send again"


def test_a_long_string_is_quoted_back_shortened(
    client: TestClient, tech_headers: Headers, valid_ticket: dict[str, Any]
) -> None:
    body = valid_ticket | {"device_model": "x" * 100_000}
    response = client.post("/api/v1/tickets", json=body, headers=tech_headers)
    assert response.status_code == 422
    [error] = response.json()["detail"]
    assert error["input"] == "x" * 100 + "... (100000 characters)"


@pytest.mark.parametrize(
    ("value", "summary"),
    [
        ({f"key_{n}": n for n in range(5_000)}, "<object of 5000 fields>"),
        (list(range(5_000)), "<list of 5000 items>"),
        (10**400, "<integer of 1329 bits>"),
    ],
)
def test_a_big_value_is_quoted_back_as_a_summary(
    client: TestClient,
    tech_headers: Headers,
    valid_ticket: dict[str, Any],
    value: Any,
    summary: str,
) -> None:
    body = json.dumps(valid_ticket | {"notes": value})
    response = post_raw(client, tech_headers, body.encode())
    assert response.status_code == 422
    [error] = response.json()["detail"]
    assert error["input"] == summary


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


def test_a_refused_password_is_never_quoted_back(
    client: TestClient, admin_headers: Headers
) -> None:
    body = {"email": "new@example.com", "password": SECRET_PASSWORD}
    response = client.post("/api/v1/users", json=body, headers=admin_headers)
    assert response.status_code == 422
    [error] = response.json()["detail"]
    assert error["loc"] == ["body", "password"]
    assert error["input"] == "[redacted]"
    assert SECRET_PASSWORD not in response.text


def test_a_password_beside_another_mistake_is_never_quoted_back(
    client: TestClient, admin_headers: Headers
) -> None:
    # A missing field quotes the whole object it is missing from: the password with it.
    body = {"password": "a good long password", "role": "technician"}
    response = client.post("/api/v1/users", json=body, headers=admin_headers)
    assert response.status_code == 422
    [error] = response.json()["detail"]
    assert error["type"] == "missing"
    assert error["input"] == {"password": "[redacted]", "role": "technician"}


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
