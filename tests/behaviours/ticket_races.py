"""Lesson 05's writes when another request changed the ticket between the read and the write.

Kept by lessons 06-08, whose routes read a ticket with `get_ticket_or_raise` and then write it.
Each test makes the row change right after that read, behind the session's back (a statement
that leaves the session's copy as it was read), as another request's committed write would:
an edit of a ticket deleted meanwhile is a 404, and a transition is judged again on the status
the ticket has now. The lesson's `ticket_routes` fixture names the module of those routes.
"""

from collections.abc import Callable
from types import ModuleType
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import delete, update
from sqlalchemy.orm import Session

from tests.behaviours.life_cycle import Ticket, move

# What another request does to the row: given the session, the model and the ticket's id.
Race = Callable[[Session, Any, int], None]
BEHIND_THE_SESSIONS_BACK = {"synchronize_session": False}


@pytest.fixture
def received(client: TestClient, tickets_path: str, valid_ticket: Ticket) -> Ticket:
    response = client.post(tickets_path, json=valid_ticket)
    assert response.status_code == 201, response.text
    body: Ticket = response.json()
    return body


def race_after_the_first_read(
    monkeypatch: pytest.MonkeyPatch, ticket_routes: ModuleType, race: Race
) -> None:
    read = ticket_routes.get_ticket_or_raise
    reads = 0

    def read_then_race(session: Session, ticket_id: int) -> Any:
        nonlocal reads
        ticket = read(session, ticket_id)
        reads += 1
        if reads == 1:
            race(session, type(ticket), ticket_id)
        return ticket

    monkeypatch.setattr(ticket_routes, "get_ticket_or_raise", read_then_race)


def deleted(session: Session, model: Any, ticket_id: int) -> None:
    statement = delete(model).where(model.id == ticket_id)
    session.execute(statement, execution_options=BEHIND_THE_SESSIONS_BACK)


def diagnosed(session: Session, model: Any, ticket_id: int) -> None:
    statement = update(model).where(model.id == ticket_id).values(status="diagnosing")
    session.execute(statement, execution_options=BEHIND_THE_SESSIONS_BACK)


def test_an_edit_of_a_ticket_deleted_meanwhile_is_a_404(
    client: TestClient,
    tickets_path: str,
    received: Ticket,
    ticket_routes: ModuleType,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    race_after_the_first_read(monkeypatch, ticket_routes, deleted)
    response = client.patch(f"{tickets_path}/{received['id']}", json={"notes": "Screen replaced."})
    assert response.status_code == 404
    assert response.json() == {"detail": f"Ticket {received['id']} not found"}


def test_a_transition_is_judged_again_when_the_status_changed_meanwhile(
    client: TestClient,
    tickets_path: str,
    received: Ticket,
    ticket_routes: ModuleType,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # Read as received; diagnosing by the time of the write: the move is refused on the status
    # the ticket has now, not made from the one it had.
    race_after_the_first_read(monkeypatch, ticket_routes, diagnosed)
    response = move(client, tickets_path, received["id"], "diagnosing")
    assert response.status_code == 409
    assert "from 'diagnosing' to 'diagnosing'" in response.json()["detail"]


def test_a_transition_still_allowed_on_the_new_status_is_made(
    client: TestClient,
    tickets_path: str,
    received: Ticket,
    ticket_routes: ModuleType,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    race_after_the_first_read(monkeypatch, ticket_routes, diagnosed)
    response = move(client, tickets_path, received["id"], "cancelled")
    assert response.status_code == 200, response.text
    assert response.json()["status"] == "cancelled"
    stored = client.get(f"{tickets_path}/{received['id']}").json()
    assert stored["status"] == "cancelled"  # written, not only answered
