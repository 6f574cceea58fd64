"""Lesson 01's routing behaviours, kept by every later lesson."""

from fastapi.testclient import TestClient


def test_openapi_documents_the_ticket_routes(client: TestClient, tickets_path: str) -> None:
    paths = client.get("/openapi.json").json()["paths"]
    assert {tickets_path, f"{tickets_path}/{{ticket_id}}"} <= paths.keys()


def test_docs_page_is_served(client: TestClient) -> None:
    response = client.get("/docs")
    assert response.status_code == 200
    assert "swagger-ui" in response.text


def test_path_id_that_is_not_an_integer_is_a_422_naming_the_parameter(
    client: TestClient, tickets_path: str
) -> None:
    response = client.get(f"{tickets_path}/abc")
    assert response.status_code == 422
    [error] = response.json()["detail"]
    assert error["loc"] == ["path", "ticket_id"]
    assert error["type"] == "int_parsing"


def test_unknown_ticket_is_a_404(client: TestClient, tickets_path: str) -> None:
    response = client.get(f"{tickets_path}/999999")
    assert response.status_code == 404
    assert response.json() == {"detail": "Ticket 999999 not found"}


def test_limit_below_one_is_a_422_naming_the_parameter(
    client: TestClient, tickets_path: str
) -> None:
    response = client.get(tickets_path, params={"limit": 0})
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == ["query", "limit"]


def test_limit_above_a_hundred_is_a_422(client: TestClient, tickets_path: str) -> None:
    response = client.get(tickets_path, params={"limit": 101})
    assert response.status_code == 422
    assert response.json()["detail"][0]["type"] == "less_than_equal"


def test_status_filter_outside_the_known_statuses_is_a_422(
    client: TestClient, tickets_path: str
) -> None:
    response = client.get(tickets_path, params={"status": "lost"})
    assert response.status_code == 422
    [error] = response.json()["detail"]
    assert error["loc"] == ["query", "status"]
    # A Literal's error in lessons 01-04; from lesson 05 on, the statuses are an enum.
    assert error["type"] in ("literal_error", "enum")
