"""Lesson 02 on its own: the models are the API's documentation."""

from fastapi.testclient import TestClient


def test_openapi_documents_the_input_constraints(client: TestClient) -> None:
    schema = client.get("/openapi.json").json()["components"]["schemas"]["TicketCreate"]
    assert schema["additionalProperties"] is False
    assert schema["required"] == ["customer_email", "device_model", "estimated_cost"]
    assert schema["properties"]["device_model"]["maxLength"] == 50
    assert schema["properties"]["customer_email"]["format"] == "email"


def test_openapi_documents_201_with_the_output_model(client: TestClient) -> None:
    operation = client.get("/openapi.json").json()["paths"]["/tickets"]["post"]
    created = operation["responses"]["201"]["content"]["application/json"]["schema"]
    assert created == {"$ref": "#/components/schemas/TicketRead"}
