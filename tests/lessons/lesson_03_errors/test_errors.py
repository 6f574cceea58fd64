"""Lesson 03 on its own: where errors come from and where they go."""

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from lessons.lesson_03_errors.errors import TicketNotFoundError


def test_domain_error_says_which_ticket() -> None:
    error = TicketNotFoundError(42)
    assert error.ticket_id == 42
    assert str(error) == "Ticket 42 not found"


@pytest.fixture
def broken_listing(monkeypatch: pytest.MonkeyPatch) -> None:
    """Make the ticket store fail the way a bug in it would."""

    class BrokenStore(dict[int, object]):
        def values(self) -> object:
            raise RuntimeError("the store is broken")

    monkeypatch.setattr("lessons.lesson_03_errors.app.TICKETS", BrokenStore())


@pytest.mark.usefixtures("broken_listing")
def test_the_server_still_sees_the_exception(app: FastAPI) -> None:
    # The client gets a clean 500; the exception still reaches the server, which logs it.
    with TestClient(app) as client, pytest.raises(RuntimeError, match="the store is broken"):
        client.get("/tickets")
