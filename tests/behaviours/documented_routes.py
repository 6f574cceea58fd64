"""Lesson 07's route declarations, kept by every later lesson: what the ticket routes promise.

Each route documents the errors it can answer, so a client reading the OpenAPI document
knows them without trying; a created ticket's URL comes back in the Location header.
"""

from typing import Any

from fastapi.testclient import TestClient


def test_create_answers_the_new_ticket_url_in_location(
    client: TestClient, tickets_path: str, valid_ticket: dict[str, Any]
) -> None:
    created = client.post(tickets_path, json=valid_ticket)
    assert created.status_code == 201
    location = created.headers["Location"]
    assert location == f"{tickets_path}/{created.json()['id']}"
    assert client.get(location).json() == created.json()


def test_openapi_documents_the_errors_of_every_ticket_route(
    client: TestClient, tickets_path: str
) -> None:
    paths = client.get("/openapi.json").json()["paths"]
    ticket = f"{tickets_path}/{{ticket_id}}"
    operations = [
        operation
        for path in (tickets_path, ticket, f"{ticket}/transitions")
        for operation in paths[path].values()
    ]
    assert len(operations) == 6
    for operation in operations:  # no key or token; a bug on the server
        assert {"401", "500"} <= operation["responses"].keys()
    for method in ("get", "patch", "delete"):
        assert "404" in paths[ticket][method]["responses"]
    assert {"404", "409"} <= paths[f"{ticket}/transitions"]["post"]["responses"].keys()
