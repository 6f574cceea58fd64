"""Exercise 04.2, solved: a dependency overridden for one test, and put back whatever happens.

The override replaces `get_caller` everywhere it is used, including inside the audit
dependency, so the request needs no API key. `finally` removes it even when the request or an
assertion fails: an override that leaks makes the next test lie.
"""

from fastapi.testclient import TestClient

from lessons.lesson_04_dependencies.app import app
from lessons.lesson_04_dependencies.dependencies import Caller, get_caller

TICKET = {
    "customer_email": "ada@example.com",
    "device_model": "Pixel 8",
    "estimated_cost": "129.99",
}


def the_workshop() -> Caller:
    return Caller(name="workshop")


def test_a_ticket_says_who_opened_it() -> None:
    """A ticket opened by the workshop says so."""
    app.dependency_overrides[get_caller] = the_workshop
    try:
        with TestClient(app) as client:
            response = client.post("/tickets", json=TICKET)
        assert response.status_code == 201
        assert response.json()["opened_by"] == "workshop"
    finally:
        app.dependency_overrides.pop(get_caller, None)
