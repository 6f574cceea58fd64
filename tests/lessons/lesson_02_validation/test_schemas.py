"""Lesson 02 on its own: the models are the API's documentation, and a 422 names every mistake."""

from typing import Any

from fastapi.testclient import TestClient


def test_openapi_documents_the_input_constraints(client: TestClient) -> None:
    schema = client.get("/openapi.json").json()["components"]["schemas"]["TicketCreate"]
    assert schema["additionalProperties"] is False
    assert schema["required"] == ["customer_email", "device_model", "estimated_cost"]
    assert schema["properties"]["device_model"]["maxLength"] == 50
    assert schema["properties"]["customer_email"]["format"] == "email"


def test_openapi_documents_what_an_amount_may_be_sent_as(client: TestClient) -> None:
    schema = client.get("/openapi.json").json()["components"]["schemas"]["TicketCreate"]
    # A JSON number, or a string no longer than a valid amount needs: never a megabyte of digits.
    assert schema["properties"]["estimated_cost"]["anyOf"] == [
        {"type": "number", "exclusiveMinimum": 0, "exclusiveMaximum": 100_000},
        {"type": "string", "maxLength": 32},
    ]


def test_openapi_documents_201_with_the_output_model(client: TestClient) -> None:
    operation = client.get("/openapi.json").json()["paths"]["/tickets"]["post"]
    created = operation["responses"]["201"]["content"]["application/json"]["schema"]
    assert created == {"$ref": "#/components/schemas/TicketRead"}


def test_every_mistake_in_a_body_is_reported_at_once(
    client: TestClient, valid_ticket: dict[str, Any]
) -> None:
    three_mistakes = valid_ticket | {
        "customer_email": "not-an-email",
        "device_model": "X",
        "estimated_cost": "0",
    }
    response = client.post("/tickets", json=three_mistakes)
    assert response.status_code == 422
    assert [error["loc"] for error in response.json()["detail"]] == [
        ["body", "customer_email"],
        ["body", "device_model"],
        ["body", "estimated_cost"],
    ]
