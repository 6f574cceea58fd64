"""Lesson 04's audit trail, kept by every later lesson that audits the routes changing tickets.

The audit is a yield dependency: the code after its `yield` runs however the request ends.
"""

import logging
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from starlette.types import Message, Receive, Scope, Send

AUDIT_LOGGER = "repairdesk.audit"


def audit_lines(caplog: pytest.LogCaptureFixture) -> list[tuple[str, str]]:
    return [
        (record.levelname, record.getMessage())
        for record in caplog.records
        if record.name == AUDIT_LOGGER
    ]


def test_a_change_that_succeeds_is_audited(
    client: TestClient, valid_ticket: dict[str, Any], caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level("INFO", logger=AUDIT_LOGGER)
    client.post("/tickets", json=valid_ticket)
    assert audit_lines(caplog) == [("INFO", "front desk: POST /tickets done")]


def test_a_change_that_fails_in_the_endpoint_is_audited_as_failed(
    client: TestClient, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level("INFO", logger=AUDIT_LOGGER)
    response = client.delete("/tickets/999999")
    assert audit_lines(caplog) == [
        ("WARNING", "front desk: DELETE /tickets/999999 failed (TicketNotFoundError)")
    ]
    # The audit re-raised the endpoint's exception: its handler still answered.
    assert response.status_code == 404
    assert response.json() == {"detail": "Ticket 999999 not found"}


def test_a_change_that_succeeds_is_audited_after_its_response_is_sent(
    app: FastAPI,
    client: TestClient,
    valid_ticket: dict[str, Any],
    caplog: pytest.LogCaptureFixture,
) -> None:
    # By default the code after a dependency's `yield` runs once the response has gone out.
    caplog.set_level("INFO", logger=AUDIT_LOGGER)
    events: list[str] = []

    async def watched_app(scope: Scope, receive: Receive, send: Send) -> None:
        async def watched_send(message: Message) -> None:
            await send(message)
            if message["type"] == "http.response.body" and not message.get("more_body"):
                events.append("response sent")

        await app(scope, receive, watched_send)

    class Recorder(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            events.append(record.getMessage())

    audit_logger = logging.getLogger(AUDIT_LOGGER)
    recorder = Recorder()
    audit_logger.addHandler(recorder)
    try:
        with TestClient(watched_app, headers=dict(client.headers)) as watched:
            assert watched.post("/tickets", json=valid_ticket).status_code == 201
    finally:
        audit_logger.removeHandler(recorder)
    assert events == ["response sent", "front desk: POST /tickets done"]


def test_reads_are_not_audited(client: TestClient, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level("INFO", logger=AUDIT_LOGGER)
    client.get("/tickets")
    client.get("/tickets/999999")
    assert audit_lines(caplog) == []


def test_a_refused_body_is_audited_as_failed(
    client: TestClient, caplog: pytest.LogCaptureFixture
) -> None:
    # FastAPI starts the dependencies first and validates the body after: the audit has
    # begun when the 422 is raised, so it sees the validation error like any other.
    caplog.set_level("INFO", logger=AUDIT_LOGGER)
    assert client.post("/tickets", json={}).status_code == 422
    assert audit_lines(caplog) == [
        ("WARNING", "front desk: POST /tickets failed (RequestValidationError)")
    ]


def test_a_body_that_is_not_json_is_refused_before_the_audit_begins(
    client: TestClient, caplog: pytest.LogCaptureFixture
) -> None:
    # FastAPI parses the JSON before it starts any dependency: a body it cannot parse is a 422
    # before the audit's first line has run, so the audit writes nothing.
    caplog.set_level("INFO", logger=AUDIT_LOGGER)
    response = client.post(
        "/tickets", content=b'{"device_model": ', headers={"Content-Type": "application/json"}
    )
    assert response.status_code == 422
    assert response.json()["detail"][0]["type"] == "json_invalid"
    assert audit_lines(caplog) == []
