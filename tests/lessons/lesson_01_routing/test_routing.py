"""Lesson 01 on its own: the in-memory sample tickets it serves."""

from fastapi.testclient import TestClient


def test_root_says_where_the_docs_are(client: TestClient) -> None:
    assert client.get("/").json() == {"service": "RepairDesk", "docs": "/docs"}


def test_listing_returns_the_sample_tickets(client: TestClient) -> None:
    response = client.get("/tickets")
    assert response.status_code == 200
    assert [ticket["id"] for ticket in response.json()] == [1, 2, 3]


def test_status_filter_keeps_only_that_status(client: TestClient) -> None:
    tickets = client.get("/tickets", params={"status": "ready"}).json()
    assert tickets == [{"id": 3, "device_model": "ThinkPad X1", "status": "ready"}]


def test_limit_caps_the_number_of_tickets(client: TestClient) -> None:
    assert len(client.get("/tickets", params={"limit": 2}).json()) == 2


def test_path_parameter_is_converted_to_an_integer(client: TestClient) -> None:
    # "2" in the URL becomes the integer 2 that the dictionary is keyed by.
    assert client.get("/tickets/2").json()["device_model"] == "iPhone 15"


def test_openapi_describes_the_query_parameters(client: TestClient) -> None:
    operation = client.get("/openapi.json").json()["paths"]["/tickets"]["get"]
    limit = next(p for p in operation["parameters"] if p["name"] == "limit")
    assert limit["in"] == "query"
    assert limit["schema"]["minimum"] == 1
    assert limit["schema"]["maximum"] == 100
