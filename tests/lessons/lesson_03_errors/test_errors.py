"""Lesson 03 on its own: where errors come from and where they go."""

from typing import Any, NoReturn

import pytest
from fastapi import FastAPI
from fastapi.middleware.cors import CORSMiddleware
from fastapi.testclient import TestClient

from lessons.lesson_03_errors.errors import TicketNotFoundError, register_error_handlers


def test_domain_error_says_which_ticket() -> None:
    error = TicketNotFoundError(42)
    assert error.ticket_id == 42
    assert str(error) == "Ticket 42 not found"


def test_detail_is_a_sentence_for_a_404(client: TestClient) -> None:
    response = client.get("/tickets/42")
    assert response.headers["content-type"] == "application/json"
    assert response.json() == {"detail": "Ticket 42 not found"}


def test_detail_is_a_list_of_problems_for_a_422(
    client: TestClient, valid_ticket: dict[str, Any]
) -> None:
    body = valid_ticket | {"customer_email": "ada@@example", "notes": "x" * 2001}
    response = client.post("/tickets", json=body)
    assert response.status_code == 422
    assert response.headers["content-type"] == "application/json"
    email, notes = response.json()["detail"]
    assert email["loc"] == ["body", "customer_email"]
    assert email["type"] == "value_error"
    assert email["input"] == "ada@@example"
    assert notes == {
        "type": "string_too_long",
        "loc": ["body", "notes"],
        "msg": "String should have at most 2000 characters",
        "input": "x" * 100 + "... (2001 characters)",  # quoted back, but short
        "ctx": {"max_length": 2000},
    }


def test_the_catch_all_500_skips_the_apps_middleware() -> None:
    # Handlers for Exception run in Starlette's outermost layer, ServerErrorMiddleware, outside
    # every middleware the app adds: its 500 never passes through CORSMiddleware.
    app = FastAPI()
    register_error_handlers(app)
    app.add_middleware(CORSMiddleware, allow_origins=["https://shop.example"])

    @app.get("/explode")
    def explode() -> None:
        raise RuntimeError("a bug")

    origin = {"Origin": "https://shop.example"}
    with TestClient(app, raise_server_exceptions=False) as client:
        not_found = client.get("/no-such-thing", headers=origin)
        failed = client.get("/explode", headers=origin)
    assert not_found.headers["access-control-allow-origin"] == "https://shop.example"
    assert failed.status_code == 500
    assert failed.json() == {"detail": "Internal server error"}
    assert "access-control-allow-origin" not in failed.headers


@pytest.fixture
def broken_listing(monkeypatch: pytest.MonkeyPatch) -> None:
    """Make the ticket store fail the way a bug in it would."""

    class BrokenStore(dict[int, object]):
        def values(self) -> NoReturn:
            raise RuntimeError("the store is broken")

    monkeypatch.setattr("lessons.lesson_03_errors.app.TICKETS", BrokenStore())


@pytest.mark.usefixtures("broken_listing")
def test_the_server_still_sees_the_exception(app: FastAPI) -> None:
    # The client gets a clean 500; the exception still reaches the server, which logs it.
    with TestClient(app) as client, pytest.raises(RuntimeError, match="the store is broken"):
        client.get("/tickets")


@pytest.mark.usefixtures("broken_listing")
def test_debug_mode_shows_the_traceback_anyway(
    app: FastAPI, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Why debug mode never belongs in production: it bypasses the catch-all handler.
    monkeypatch.setattr(app, "debug", True)
    monkeypatch.setattr(app, "middleware_stack", None)  # rebuilt on the next request, with debug
    with TestClient(app, raise_server_exceptions=False) as client:
        response = client.get("/tickets")
    assert response.status_code == 500
    assert "the store is broken" in response.text
    assert "Traceback" in response.text
