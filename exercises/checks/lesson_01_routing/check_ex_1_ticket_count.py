"""Checks `GET /tickets/count`, with and without a status.

--8<-- [start:hint]
A new route is a new decorated function: `@app.get("/tickets/count")` above a function
whose optional parameter `status: Status | None = None` becomes the query parameter (`Status`
is in the lesson's `app.py`). Where you declare it matters: FastAPI tries routes in the order
they are declared, and `/tickets/{ticket_id}` also matches `/tickets/count`.
--8<-- [end:hint]
"""

from fastapi.testclient import TestClient

from exercises.checks.words import answered, assert_refused, error_locations


def get_count(client: TestClient, query: str = "") -> int:
    request = f"GET /tickets/count{query}"
    response = client.get(f"/tickets/count{query}")
    declared = {getattr(route, "path", "") for route in client.app.routes}  # type: ignore[attr-defined]
    assert "/tickets/count" in declared, "there is no route `/tickets/count` yet"
    if response.status_code == 422 and ["path", "ticket_id"] in error_locations(response):
        raise AssertionError(
            f'{request} was read as `GET /tickets/{{ticket_id}}` with ticket_id="count": '
            "FastAPI tries routes in the order they are declared."
        )
    assert response.status_code == 200, answered(request, response, 200)
    body = response.json()
    assert isinstance(body, dict), (
        f'{request} should answer an object like {{"count": 3}}; got {body}'
    )
    assert set(body) == {"count"}, f'{request} should answer {{"count": ...}} only; got {body}'
    return int(body["count"])


def test_count_is_the_number_of_tickets(client: TestClient) -> None:
    count = get_count(client)
    assert count == 3, f"GET /tickets/count should count the 3 tickets; it said {count}"


def test_count_with_a_status_counts_only_that_status(client: TestClient) -> None:
    count = get_count(client, "?status=ready")
    assert count == 1, (
        f"GET /tickets/count?status=ready should be 1 (one ticket is ready); got {count}"
    )


def test_count_refuses_an_unknown_status(client: TestClient) -> None:
    response = client.get("/tickets/count", params={"status": "lost"})
    assert_refused("GET /tickets/count?status=lost", response, ["query", "status"])


def test_reading_one_ticket_still_works(client: TestClient) -> None:
    response = client.get("/tickets/2")
    assert response.status_code == 200, answered("GET /tickets/2", response, 200)
    assert response.json()["device_model"] == "iPhone 15", "GET /tickets/2 should read ticket 2"
