"""Lesson 04's dependency mechanics, tested through the lesson's own dependencies.

Each lesson that keeps them provides a `dependencies` fixture: its module defining `Caller`,
`get_caller`, `CallerDep` and `Audited`.
"""

from collections.abc import Callable
from types import ModuleType
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from tests.behaviours.api_keys import FRONT_DESK_KEY


def test_an_override_replaces_the_dependency_for_every_route(
    app: FastAPI, dependencies: ModuleType, valid_ticket: dict[str, Any]
) -> None:
    app.dependency_overrides[dependencies.get_caller] = lambda: dependencies.Caller(name="tester")
    # No API key at all: the override replaced the dependency that would have asked for one.
    with TestClient(app) as anonymous:
        response = anonymous.post("/tickets", json=valid_ticket)
    assert response.status_code == 201
    assert response.json()["opened_by"] == "tester"


@pytest.fixture
def caller_calls(app: FastAPI, dependencies: ModuleType) -> list[str]:
    """Replace the caller dependency with one that counts its calls."""
    calls: list[str] = []

    def counting_caller() -> Any:
        calls.append("called")
        return dependencies.Caller(name="counted")

    app.dependency_overrides[dependencies.get_caller] = counting_caller
    return calls


def test_the_caller_is_resolved_once_per_request(
    client: TestClient, caller_calls: list[str], valid_ticket: dict[str, Any]
) -> None:
    # POST /tickets needs the caller twice: in the endpoint and in the audit dependency.
    assert client.post("/tickets", json=valid_ticket).status_code == 201
    assert caller_calls == ["called"]


def test_each_request_resolves_the_caller_again(
    client: TestClient, caller_calls: list[str]
) -> None:
    client.get("/tickets")
    client.get("/tickets")
    assert caller_calls == ["called", "called"]


@pytest.fixture
def crashing_audited_route(test_route: Callable[..., str], dependencies: ModuleType) -> str:
    """A route behind the audit that fails the way a bug would, removed after the test."""

    def crash() -> None:
        raise RuntimeError("bug in the endpoint")

    return test_route("/test-only/crash", crash, dependencies=[dependencies.Audited])


def test_the_audit_cleanup_runs_when_the_endpoint_crashes(
    app: FastAPI, crashing_audited_route: str, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level("INFO", logger="repairdesk.audit")
    with TestClient(
        app, raise_server_exceptions=False, headers={"X-API-Key": FRONT_DESK_KEY}
    ) as client:
        response = client.post(crashing_audited_route)
    assert response.status_code == 500
    assert [r.getMessage() for r in caplog.records if r.name == "repairdesk.audit"] == [
        "front desk: POST /test-only/crash failed (RuntimeError)"
    ]
