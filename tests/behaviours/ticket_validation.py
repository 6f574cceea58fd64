"""Lesson 02's validation behaviours, kept by every later lesson.

Every bad input is refused with a 422 whose `detail` names the field and the reason, and a
refused request stores nothing. What is accepted is normalised: text trimmed, emails
lowercased, amounts given their two decimal places.
"""

from collections.abc import Callable
from decimal import Decimal
from typing import Any

import pytest
from fastapi.testclient import TestClient


@pytest.fixture
def post_ticket(client: TestClient, tickets_path: str) -> Callable[[Any], Any]:
    """POST a ticket body; the response."""
    return lambda body: client.post(tickets_path, json=body)


def only_error(response: Any) -> dict[str, Any]:
    assert response.status_code == 422, response.text
    errors: list[dict[str, Any]] = response.json()["detail"]
    assert len(errors) == 1, errors
    return errors[0]


def test_valid_ticket_is_created_with_201(
    post_ticket: Callable[[Any], Any], valid_ticket: dict[str, Any]
) -> None:
    response = post_ticket(valid_ticket)
    assert response.status_code == 201
    body = response.json()
    assert body["customer_email"] == valid_ticket["customer_email"]
    assert body["device_model"] == valid_ticket["device_model"]
    assert Decimal(body["estimated_cost"]) == Decimal("129.99")
    assert body["status"] == "received"
    assert isinstance(body["id"], int)


def test_created_ticket_can_be_read_back(
    client: TestClient,
    tickets_path: str,
    post_ticket: Callable[[Any], Any],
    valid_ticket: dict[str, Any],
) -> None:
    created = post_ticket(valid_ticket).json()
    response = client.get(f"{tickets_path}/{created['id']}")
    assert response.status_code == 200
    assert response.json() == created


def test_created_ticket_is_listed(
    client: TestClient,
    tickets_path: str,
    listed_tickets: Callable[[Any], list[dict[str, Any]]],
    post_ticket: Callable[[Any], Any],
    valid_ticket: dict[str, Any],
) -> None:
    created = post_ticket(valid_ticket).json()
    listed = listed_tickets(client.get(tickets_path).json())
    assert created["id"] in [ticket["id"] for ticket in listed]


def test_server_owned_fields_are_refused(
    post_ticket: Callable[[Any], Any], valid_ticket: dict[str, Any]
) -> None:
    error = only_error(post_ticket({**valid_ticket, "status": "ready"}))
    assert error["loc"] == ["body", "status"]
    assert error["type"] == "extra_forbidden"


def test_device_model_is_trimmed(
    post_ticket: Callable[[Any], Any], valid_ticket: dict[str, Any]
) -> None:
    response = post_ticket({**valid_ticket, "device_model": "  Pixel 8  "})
    assert response.status_code == 201
    assert response.json()["device_model"] == "Pixel 8"


def test_customer_email_is_lowercased(
    post_ticket: Callable[[Any], Any], valid_ticket: dict[str, Any]
) -> None:
    response = post_ticket({**valid_ticket, "customer_email": "Ada@Example.COM"})
    assert response.status_code == 201
    assert response.json()["customer_email"] == "ada@example.com"


@pytest.mark.parametrize(("cost", "answered"), [("0.1", "0.10"), ("129.9", "129.90"), (5, "5.00")])
def test_cost_is_answered_with_two_places(
    post_ticket: Callable[[Any], Any], valid_ticket: dict[str, Any], cost: Any, answered: str
) -> None:
    response = post_ticket({**valid_ticket, "estimated_cost": cost})
    assert response.status_code == 201
    assert response.json()["estimated_cost"] == answered


@pytest.mark.parametrize(
    ("field", "value", "error_type"),
    [
        ("customer_email", "not-an-email", "value_error"),
        ("customer_email", 42, "string_type"),
        ("customer_email", "a" * 250 + "@example.com", "value_error"),
        ("device_model", "X", "string_too_short"),
        ("device_model", "   X   ", "string_too_short"),
        ("device_model", "P" * 51, "string_too_long"),
        ("device_model", ["Pixel 8"], "string_type"),
        ("device_model", "Pixel\x008", "value_error"),  # NUL: PostgreSQL cannot store it
        ("estimated_cost", "-10.00", "greater_than"),
        ("estimated_cost", "0", "greater_than"),
        ("estimated_cost", "12.345", "decimal_max_places"),
        ("estimated_cost", "100000.00", "decimal_whole_digits"),
        ("estimated_cost", "a lot", "decimal_parsing"),
        ("estimated_cost", True, "decimal_type"),
        ("estimated_cost", "0" * 30 + "1.00", "value_error"),  # a string over 32 characters
        ("notes", "n" * 2001, "string_too_long"),
        ("notes", "Cracked\x00", "value_error"),
    ],
)
def test_bad_field_is_a_422_naming_the_field(
    post_ticket: Callable[[Any], Any],
    valid_ticket: dict[str, Any],
    field: str,
    value: Any,
    error_type: str,
) -> None:
    error = only_error(post_ticket({**valid_ticket, field: value}))
    assert error["loc"] == ["body", field]
    assert error["type"] == error_type


@pytest.mark.parametrize("field", ["customer_email", "device_model", "estimated_cost"])
def test_missing_required_field_is_a_422_naming_it(
    post_ticket: Callable[[Any], Any], valid_ticket: dict[str, Any], field: str
) -> None:
    body = {key: value for key, value in valid_ticket.items() if key != field}
    error = only_error(post_ticket(body))
    assert error["loc"] == ["body", field]
    assert error["type"] == "missing"


def test_a_flood_of_unknown_fields_is_one_error(
    post_ticket: Callable[[Any], Any], valid_ticket: dict[str, Any]
) -> None:
    flood = {f"unknown_{n}": n for n in range(500)}
    error = only_error(post_ticket({**valid_ticket, **flood}))
    assert error["loc"] == ["body"]
    assert "504 fields sent; this body has at most 4" in error["msg"]


def test_malformed_json_is_a_422_saying_where(client: TestClient, tickets_path: str) -> None:
    response = client.post(
        tickets_path,
        content=b'{"device_model": "Pixel 8",',
        headers={"Content-Type": "application/json"},
    )
    error = only_error(response)
    assert error["type"] == "json_invalid"
    assert error["loc"][0] == "body"


def test_body_that_is_not_an_object_is_a_422(post_ticket: Callable[[Any], Any]) -> None:
    error = only_error(post_ticket(["Pixel 8"]))
    assert error["loc"] == ["body"]


def test_refused_ticket_is_not_stored(
    client: TestClient,
    tickets_path: str,
    post_ticket: Callable[[Any], Any],
    valid_ticket: dict[str, Any],
) -> None:
    before = client.get(tickets_path, params={"limit": 100}).json()
    post_ticket({**valid_ticket, "estimated_cost": "-1"})
    assert client.get(tickets_path, params={"limit": 100}).json() == before


def test_cost_keeps_its_cents_exactly(
    post_ticket: Callable[[Any], Any], valid_ticket: dict[str, Any]
) -> None:
    created = post_ticket({**valid_ticket, "estimated_cost": "0.10"}).json()
    assert Decimal(created["estimated_cost"]) == Decimal("0.10")
