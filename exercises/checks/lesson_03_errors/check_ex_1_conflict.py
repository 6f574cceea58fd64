"""Checks `POST /tickets/{ticket_id}/start`: 200 once, then 409 in the one error shape.

--8<-- [start:hint]
Copy the pattern of `lessons/lesson_03_errors/errors.py`: an exception class (say
`TicketStateError`) whose message is the detail; an `async def` handler that returns
`error_response(HTTPStatus.CONFLICT, str(exc))`; `app.add_exception_handler(...)` to register
it. Then the endpoint raises, and its return annotation can be `TicketRead` alone. The
`responses=` argument of the decorator takes a dict of status code to description: merge a
409 entry into `NOT_FOUND`.
--8<-- [end:hint]
"""

from fastapi import FastAPI
from fastapi.exceptions import RequestValidationError, WebSocketRequestValidationError
from fastapi.testclient import TestClient
from starlette.exceptions import HTTPException

from exercises.checks.words import answered
from lessons.lesson_03_errors.errors import TicketNotFoundError


def test_starting_a_received_ticket_moves_it_to_repairing(client: TestClient) -> None:
    response = client.post("/tickets/1/start")
    assert response.status_code == 200, answered("POST /tickets/1/start", response, 200)
    assert response.json()["status"] == "repairing", "ticket 1 should now be 'repairing'"


def test_starting_it_twice_is_a_409_in_the_one_error_shape(client: TestClient) -> None:
    client.post("/tickets/1/start")
    response = client.post("/tickets/1/start")
    assert response.status_code == 409, answered("POST /tickets/1/start, twice,", response, 409)
    assert response.json() == {"detail": "Ticket 1 is already repairing"}, (
        'the 409 should answer {"detail": "Ticket 1 is already repairing"}; '
        f"it answered {response.json()}"
    )


def test_starting_a_ready_ticket_is_a_409(client: TestClient) -> None:
    response = client.post("/tickets/2/start")
    assert response.status_code == 409, answered("POST /tickets/2/start (ready)", response, 409)
    assert response.json() == {"detail": "Ticket 2 is already ready"}, (
        f"the 409 should say which ticket and its status; it answered {response.json()}"
    )


def test_an_unknown_ticket_stays_a_404(client: TestClient) -> None:
    response = client.post("/tickets/99/start")
    assert response.status_code == 404, answered("POST /tickets/99/start", response, 404)
    assert response.json() == {"detail": "Ticket 99 not found"}


def test_the_response_model_is_the_ticket_alone(client: TestClient) -> None:
    operation = client.get("/openapi.json").json()["paths"]["/tickets/{ticket_id}/start"]["post"]
    schema = operation["responses"]["200"]["content"]["application/json"]["schema"]
    assert schema == {"$ref": "#/components/schemas/TicketRead"}, (
        "the 200 response should be documented as TicketRead alone: make `TicketRead` the "
        f"return annotation; the schema says {schema}"
    )


def test_the_409_is_documented(client: TestClient) -> None:
    operation = client.get("/openapi.json").json()["paths"]["/tickets/{ticket_id}/start"]["post"]
    documented = sorted(operation["responses"])
    assert "409" in documented, (
        f"document the 409 with `responses=` on the route; it documents only {documented}"
    )


def test_the_409_comes_from_a_handler_for_a_domain_exception(app: FastAPI) -> None:
    known = (HTTPException, RequestValidationError, WebSocketRequestValidationError)
    domain = [
        exception.__name__
        for exception in app.exception_handlers
        if isinstance(exception, type)
        and exception not in {Exception, TicketNotFoundError}
        and not issubclass(exception, known)
    ]
    assert domain, (
        "register a handler for your own exception class (app.add_exception_handler): "
        "the endpoint should say what went wrong, the handler how HTTP reports it"
    )
