"""Lesson 04's API key behaviours, kept until a later lesson replaces API keys.

The lesson's `client` sends the front desk's key; `anonymous_client` (tests/conftest.py)
sends none.
"""

from collections.abc import Callable
from typing import Any

import pytest
from fastapi.testclient import TestClient

FRONT_DESK_KEY = "front-desk-demo-key"
WORKSHOP_KEY = "workshop-demo-key"

TICKET_ROUTES = [
    ("GET", "/tickets"),
    ("POST", "/tickets"),
    ("GET", "/tickets/1"),
    ("DELETE", "/tickets/1"),
]


@pytest.mark.parametrize(("method", "path"), TICKET_ROUTES)
def test_ticket_route_without_api_key_is_a_401_with_a_challenge(
    anonymous_client: TestClient, method: str, path: str
) -> None:
    response = anonymous_client.request(method, path)
    assert response.status_code == 401
    assert response.headers["WWW-Authenticate"] == "APIKey"
    assert response.json() == {"detail": "Not authenticated"}


@pytest.mark.parametrize(("method", "path"), TICKET_ROUTES)
def test_ticket_route_with_a_wrong_api_key_is_a_401_with_a_challenge(
    anonymous_client: TestClient, method: str, path: str
) -> None:
    response = anonymous_client.request(method, path, headers={"X-API-Key": "guessed-key"})
    assert response.status_code == 401
    assert response.headers["WWW-Authenticate"] == "APIKey"
    assert response.json() == {"detail": "Invalid API key"}


def test_a_key_that_only_starts_like_a_real_one_is_refused(anonymous_client: TestClient) -> None:
    response = anonymous_client.get("/tickets", headers={"X-API-Key": FRONT_DESK_KEY[:-1]})
    assert response.status_code == 401


@pytest.mark.parametrize("key", ["f", FRONT_DESK_KEY + "x", "x" * 1000])
def test_a_key_of_another_length_is_refused(anonymous_client: TestClient, key: str) -> None:
    response = anonymous_client.get("/tickets", headers={"X-API-Key": key})
    assert response.status_code == 401
    assert response.json() == {"detail": "Invalid API key"}


def test_a_body_that_is_not_json_is_a_422_before_the_key_is_checked(
    anonymous_client: TestClient,
) -> None:
    # The body is parsed before any dependency runs, the API key's included.
    response = anonymous_client.post(
        "/tickets", content=b'{"device_model": ', headers={"Content-Type": "application/json"}
    )
    assert response.status_code == 422
    assert response.json()["detail"][0]["type"] == "json_invalid"


def test_refused_caller_creates_nothing(
    client: TestClient,
    anonymous_client: TestClient,
    valid_ticket: dict[str, Any],
    listed_tickets: Callable[[Any], list[dict[str, Any]]],
) -> None:
    anonymous_client.post("/tickets", json=valid_ticket, headers={"X-API-Key": "guessed-key"})
    assert listed_tickets(client.get("/tickets").json()) == []


def test_ticket_records_who_opened_it(
    anonymous_client: TestClient, valid_ticket: dict[str, Any]
) -> None:
    response = anonymous_client.post(
        "/tickets", json=valid_ticket, headers={"X-API-Key": WORKSHOP_KEY}
    )
    assert response.status_code == 201
    assert response.json()["opened_by"] == "workshop"


@pytest.mark.parametrize("path", ["/", "/docs", "/openapi.json"])
def test_service_description_and_docs_need_no_key(anonymous_client: TestClient, path: str) -> None:
    assert anonymous_client.get(path).status_code == 200


def test_openapi_declares_the_api_key_scheme_for_swagger_authorize(
    anonymous_client: TestClient,
) -> None:
    schema = anonymous_client.get("/openapi.json").json()
    assert schema["components"]["securitySchemes"]["APIKeyHeader"] == {
        "type": "apiKey",
        "in": "header",
        "name": "X-API-Key",
        "description": "Your application's API key.",
    }
    operation = schema["paths"]["/tickets"]["post"]
    assert operation["security"] == [{"APIKeyHeader": []}]
