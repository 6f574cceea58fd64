"""Test as someone else, without their key.

--8<-- [start:task]
**Ticket RD-402.** Nobody has written a test proving that a ticket records who opened it: the
`opened_by` field comes from the caller, which `get_caller` finds from the API key. Write the
test `test_a_ticket_says_who_opened_it` in the file. Without any API key, it makes the lesson's
app believe the caller is the workshop (`Caller(name="workshop")`) by overriding `get_caller`,
opens a ticket with `POST /tickets`, and asserts the answer is a 201 whose `opened_by` is
`"workshop"`. It removes its override when it ends, even when an assertion fails. The check
runs your test, and also runs it against broken versions of the app, which it must catch.
--8<-- [end:task]
"""

from fastapi.testclient import TestClient

from lessons.lesson_04_dependencies.app import app

TICKET = {
    "customer_email": "ada@example.com",
    "device_model": "Pixel 8",
    "estimated_cost": "129.99",
}


def test_a_ticket_says_who_opened_it() -> None:
    """A ticket opened by the workshop says so."""
    # TODO: override `get_caller` (in lessons.lesson_04_dependencies.dependencies, with
    # `Caller`) so that the caller is the workshop, and remove the override at the end.
    with TestClient(app) as client:
        client.post("/tickets", json=TICKET)
    # TODO: assert that the answer is a 201 whose `opened_by` is "workshop".
