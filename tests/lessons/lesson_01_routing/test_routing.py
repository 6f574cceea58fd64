"""Lesson 01 on its own: the in-memory sample tickets it serves, and why route order matters."""

from collections.abc import Callable

from fastapi import FastAPI
from fastapi.testclient import TestClient

from lessons.lesson_01_routing.app import TICKETS, read_ticket


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


def ticket_summary() -> dict[str, int]:
    return {"count": len(TICKETS)}


def app_with_summary(declared_first: bool) -> FastAPI:
    """The lesson's ticket route and a fixed `/tickets/summary`, in the order asked for."""
    routes: list[tuple[str, Callable[..., object]]] = [
        ("/tickets/summary", ticket_summary),
        ("/tickets/{ticket_id}", read_ticket),
    ]
    app = FastAPI()
    for path, endpoint in routes if declared_first else reversed(routes):
        app.add_api_route(path, endpoint, methods=["GET"])
    return app


def test_a_fixed_path_declared_after_a_parameterised_one_is_read_as_the_parameter() -> None:
    response = TestClient(app_with_summary(declared_first=False)).get("/tickets/summary")
    assert response.status_code == 422
    [error] = response.json()["detail"]
    assert error["loc"] == ["path", "ticket_id"]  # "summary" was taken for a ticket id


def test_a_fixed_path_declared_first_answers_and_ids_still_reach_their_route() -> None:
    client = TestClient(app_with_summary(declared_first=True))
    assert client.get("/tickets/summary").json() == {"count": 3}
    assert client.get("/tickets/2").json()["device_model"] == "iPhone 15"
