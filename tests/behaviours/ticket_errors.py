"""Lesson 03's error behaviours, kept by every later lesson: one shape, no stack traces.

A 405 names every method its path allows; a 422 quotes back what it refused, bounded in size,
always valid ASCII JSON, and never a password.
"""

import json
from collections.abc import Callable
from typing import Annotated, Any

import httpx2
import pytest
from fastapi import FastAPI
from fastapi.exceptions import RequestValidationError
from fastapi.testclient import TestClient
from pydantic import AfterValidator, BaseModel, Field
from pydantic_core import PydanticCustomError

JSON = {"Content-Type": "application/json"}
TEXT = {"Content-Type": "text/plain"}


def test_deleting_a_ticket_answers_204_and_removes_it(
    client: TestClient, tickets_path: str, valid_ticket: dict[str, Any]
) -> None:
    ticket_id = client.post(tickets_path, json=valid_ticket).json()["id"]
    response = client.delete(f"{tickets_path}/{ticket_id}")
    assert response.status_code == 204
    assert response.content == b""
    assert client.get(f"{tickets_path}/{ticket_id}").status_code == 404


def test_deleting_an_unknown_ticket_is_a_404(client: TestClient, tickets_path: str) -> None:
    response = client.delete(f"{tickets_path}/999999")
    assert response.status_code == 404
    assert response.json() == {"detail": "Ticket 999999 not found"}


def test_wrong_method_is_a_405_in_the_same_shape(client: TestClient, tickets_path: str) -> None:
    response = client.put(f"{tickets_path}/1", json={})
    assert response.status_code == 405
    assert response.json() == {"detail": "Method Not Allowed"}


def test_unknown_path_is_a_404_in_the_same_shape(client: TestClient) -> None:
    response = client.get("/no-such-thing")
    assert response.status_code == 404
    assert response.json() == {"detail": "Not Found"}


def test_openapi_lists_the_404_of_reading_a_ticket(client: TestClient, tickets_path: str) -> None:
    paths = client.get("/openapi.json").json()["paths"]
    operation = paths[f"{tickets_path}/{{ticket_id}}"]["get"]
    assert "404" in operation["responses"]


@pytest.fixture
def failing_route(test_route: Callable[..., str]) -> str:
    """A route that fails the way a bug would, removed again after the test."""

    def explode() -> None:
        raise RuntimeError("secret connection string: postgresql://admin:hunter2@db")

    return test_route("/test-only/explode", explode, method="GET")


def test_unexpected_error_is_a_500_without_stack_trace(
    app: FastAPI,
    failing_route: str,
    internal_error_body: Callable[[httpx2.Response], dict[str, Any]],
) -> None:
    # raise_server_exceptions=False: see what a client sees, not the exception the server logs.
    with TestClient(app, raise_server_exceptions=False) as client:
        response = client.get(failing_route)
    assert response.status_code == 500
    assert response.json() == internal_error_body(response)
    assert "hunter2" not in response.text
    assert "Traceback" not in response.text


# --8<-- [start:method-not-allowed]
def test_405_lists_every_method_the_path_allows(client: TestClient, tickets_path: str) -> None:
    # Starlette's own 405 names the first route that matched the path, GET alone.
    paths = client.get("/openapi.json").json()["paths"]
    documented = {method.upper() for method in paths[f"{tickets_path}/{{ticket_id}}"]}
    assert {"GET", "DELETE"} <= documented
    response = client.put(f"{tickets_path}/1", json={})
    assert response.status_code == 405
    assert response.headers["Allow"] == ", ".join(sorted(documented))
    assert response.json() == {"detail": "Method Not Allowed"}


# --8<-- [end:method-not-allowed]


# --8<-- [start:bounded]
def refused(client: TestClient, path: str, body: Any) -> list[dict[str, Any]]:
    """The errors of a 422, once its body is known to be plain ASCII JSON."""
    response = client.post(path, content=json.dumps(body), headers=JSON)
    assert response.status_code == 422, response.text
    assert response.headers["content-type"] == "application/json"
    assert response.content.isascii()
    errors: list[dict[str, Any]] = response.json()["detail"]
    return errors


def test_a_422_lists_20_errors_and_counts_the_rest(
    client: TestClient, tickets_path: str, valid_ticket: dict[str, Any]
) -> None:
    body = valid_ticket | {f"unknown_{n}": n for n in range(100)}
    *listed, summary = refused(client, tickets_path, body)
    assert [error["loc"] for error in listed] == [["body", f"unknown_{n}"] for n in range(20)]
    assert summary == {
        "type": "too_many_errors",
        "loc": [],
        "msg": "80 more errors left out; fix these and send again",
    }


def test_the_21st_error_is_counted_not_listed(
    client: TestClient, tickets_path: str, valid_ticket: dict[str, Any]
) -> None:
    body = valid_ticket | {f"unknown_{n}": n for n in range(21)}
    *listed, summary = refused(client, tickets_path, body)
    assert len(listed) == 20
    assert summary["msg"] == "1 more error left out; fix these and send again"


@pytest.mark.parametrize(
    ("value", "quoted"),
    [
        ("x" * 100_000, "x" * 100 + "... (100000 characters)"),
        ({f"key_{n}": n for n in range(5_000)}, "<object of 5000 fields>"),
        (list(range(5_000)), "<list of 5000 items>"),
        (10**400, "<integer of 1329 bits>"),
        ({"a": {"b": {"c": {"d": 1}}}}, {"a": {"b": {"c": "<object of 1 field>"}}}),
        ([[[[1]]]], [[["<list of 1 item>"]]]),
    ],
    ids=["long-string", "big-object", "big-list", "huge-integer", "deep-object", "deep-list"],
)
def test_a_422_quotes_a_big_value_back_as_a_summary(
    client: TestClient, tickets_path: str, valid_ticket: dict[str, Any], value: Any, quoted: Any
) -> None:
    [error] = refused(client, tickets_path, valid_ticket | {"notes": value})
    assert error["loc"] == ["body", "notes"]
    assert error["input"] == quoted


@pytest.mark.parametrize("value", [True, 42, 1.5, ["a", None], {"a": None}])
def test_a_422_quotes_a_small_value_back_as_it_is(
    client: TestClient, tickets_path: str, valid_ticket: dict[str, Any], value: Any
) -> None:
    [error] = refused(client, tickets_path, valid_ticket | {"notes": value})
    assert error["input"] == value


@pytest.mark.parametrize(
    ("number", "quoted"),
    [("NaN", "NaN"), ("Infinity", "Infinity"), ("-Infinity", "-Infinity"), ("1e999", "Infinity")],
)
def test_a_non_finite_number_is_quoted_back_as_a_string(
    client: TestClient, tickets_path: str, valid_ticket: dict[str, Any], number: str, quoted: str
) -> None:
    # Python's json reads NaN and Infinity, JSON has no such numbers: as they are, they would
    # make the 422 itself invalid JSON, or a 500.
    body = json.dumps(valid_ticket | {"estimated_cost": "COST"}).replace('"COST"', number)
    response = client.post(tickets_path, content=body, headers=JSON)
    assert response.status_code == 422
    [error] = response.json()["detail"]
    assert (error["loc"], error["input"]) == (["body", "estimated_cost"], quoted)


def test_a_lone_surrogate_is_quoted_back_not_a_500(
    client: TestClient, tickets_path: str, valid_ticket: dict[str, Any]
) -> None:
    # Valid JSON, but "\ud800" decodes to a string with no UTF-8 encoding.
    [error] = refused(client, tickets_path, valid_ticket | {"customer_email": "\ud800"})
    assert (error["loc"], error["input"]) == (["body", "customer_email"], "\ud800")


def test_a_body_that_is_not_json_is_quoted_back_as_text(
    client: TestClient, tickets_path: str
) -> None:
    response = client.post(tickets_path, content=b"device=Pixel", headers=TEXT)
    assert response.status_code == 422
    [error] = response.json()["detail"]
    assert (error["loc"], error["input"]) == (["body"], "device=Pixel")


# --8<-- [end:bounded]


# --8<-- [start:secrets]
class SignUp(BaseModel):
    email: str
    password: str = Field(min_length=12)


def sign_up(body: SignUp) -> None:
    """A body with a password, as a sign-up form would post it."""


def test_a_refused_password_is_never_quoted_back(
    client: TestClient, test_route: Callable[..., str]
) -> None:
    path = test_route("/test-only/sign-up", sign_up)
    [error] = refused(client, path, {"email": "ada@example.com", "password": "hunter2"})
    assert (error["loc"], error["input"]) == (["body", "password"], "[redacted]")


def test_a_password_beside_another_mistake_is_never_quoted_back(
    client: TestClient, test_route: Callable[..., str]
) -> None:
    # A missing field quotes the whole object it is missing from: the password with it.
    path = test_route("/test-only/sign-up", sign_up)
    [error] = refused(client, path, {"password": "hunter2 hunter2", "role": "technician"})
    assert (error["type"], error["loc"]) == ("missing", ["body", "email"])
    assert error["input"] == {"password": "[redacted]", "role": "technician"}


# --8<-- [end:secrets]


class Digits:
    """A rule of the app's own: no JSON encoder knows it, so a 422 quotes it as text."""

    __slots__ = ("high", "low")

    def __init__(self, low: int, high: int) -> None:
        self.low, self.high = low, high

    def __str__(self) -> str:
        return f"{self.low}-{self.high}"


def odd_serial(value: str) -> str:
    if value.startswith("0"):
        raise ValueError("a serial number never starts with 0")
    if value.startswith("9"):
        raise PydanticCustomError("serial", "not a serial", {"digits": Digits(1, 8)})
    return value


class Device(BaseModel):
    serial: Annotated[str, AfterValidator(odd_serial)]


def register_device(device: Device) -> None:
    """A body whose validator refuses some values."""


@pytest.mark.parametrize(
    ("serial", "ctx"),
    [("0123", {"error": "a serial number never starts with 0"}), ("9123", {"digits": "1-8"})],
)
def test_a_validators_rule_is_quoted_back_as_text(
    client: TestClient, test_route: Callable[..., str], serial: str, ctx: dict[str, str]
) -> None:
    path = test_route("/test-only/devices", register_device)
    [error] = refused(client, path, {"serial": serial})
    assert (error["input"], error["ctx"]) == (serial, ctx)


def test_a_422_raised_by_hand_keeps_only_what_it_says(
    client: TestClient, test_route: Callable[..., str]
) -> None:
    def check_by_hand() -> None:
        problem = {"type": "value_error", "loc": ("query", "when"), "msg": "Not on a Sunday"}
        raise RequestValidationError([problem])

    path = test_route("/test-only/by-hand", check_by_hand)
    assert refused(client, path, {}) == [
        {"type": "value_error", "loc": ["query", "when"], "msg": "Not on a Sunday"}
    ]
