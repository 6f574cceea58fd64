"""Checks `GET /tickets/{ticket_id}/invoice`: 200, 404 for an unknown ticket, 500 for a bug.

--8<-- [start:hint]
Remove the `try`/`except` altogether. Before calling `invoice_for`, test `ticket_id in
TICKETS` and `raise TicketNotFoundError(ticket_id)` when it is not (import it from
`lessons.lesson_03_errors.errors`): its handler answers the 404. Exceptions you do not catch
reach the catch-all handler, which `register_error_handlers` has already installed.
--8<-- [end:hint]
"""

from decimal import Decimal
from types import ModuleType

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from exercises.checks.words import answered


def test_an_invoice_includes_vat(client: TestClient) -> None:
    response = client.get("/tickets/1/invoice")
    assert response.status_code == 200, answered("GET /tickets/1/invoice", response, 200)
    total = Decimal(response.json()["total"])
    assert total == Decimal("121"), f"the invoice of ticket 1 should total 121.00; it says {total}"


def test_an_unknown_ticket_is_a_404(client: TestClient) -> None:
    response = client.get("/tickets/99/invoice")
    assert response.status_code == 404, answered("GET /tickets/99/invoice", response, 404)
    assert response.json() == {"detail": "Ticket 99 not found"}, (
        f'the 404 should answer {{"detail": "Ticket 99 not found"}}; it answered {response.json()}'
    )


@pytest.fixture
def broken_invoices(module: ModuleType, monkeypatch: pytest.MonkeyPatch) -> None:
    """Make `invoice_for` fail the way a bug in it would."""

    def invoice_for(ticket: object) -> object:
        raise RuntimeError("secret: the invoice template is missing")

    assert hasattr(module, "invoice_for"), "keep the function `invoice_for`: the check replaces it"
    monkeypatch.setattr(module, "invoice_for", invoice_for)


@pytest.mark.usefixtures("broken_invoices")
def test_a_bug_is_a_500_that_tells_the_client_nothing(app: FastAPI) -> None:
    # What a client sees: the server's exception stays on the server.
    with TestClient(app, raise_server_exceptions=False) as client:
        response = client.get("/tickets/1/invoice")
    assert response.status_code == 500, answered(
        "GET /tickets/1/invoice, when invoice_for has a bug,", response, 500
    )
    assert response.json() == {"detail": "Internal server error"}, (
        f"a 500 should tell the client nothing more; it answered {response.json()}"
    )


@pytest.mark.usefixtures("broken_invoices")
def test_a_bug_still_reaches_the_server_log(app: FastAPI) -> None:
    with TestClient(app) as client:
        try:
            client.get("/tickets/1/invoice")
        except RuntimeError:
            return  # the exception reached the server, which logs it
    raise AssertionError("the bug in invoice_for never reached the server: something caught it")
