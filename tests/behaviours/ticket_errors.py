"""Lesson 03's error behaviours, kept by every later lesson: one shape, no stack traces."""

from collections.abc import Callable
from typing import Any

import httpx2
import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient


def test_deleting_a_ticket_answers_204_and_removes_it(
    client: TestClient, tickets_path: str, valid_ticket: dict[str, Any]
) -> None:
    ticket_id = client.post(tickets_path, json=valid_ticket).json()["id"]
    response = client.delete(f"{tickets_path}/{ticket_id}")
    assert response.status_code == 204
    assert response.content == b""
    assert client.get(f"{tickets_path}/{ticket_id}").status_code == 404


def test_deleting_an_unknown_ticket_is_a_404(client: TestClient, tickets_path: str) -> None:
    response = client.delete(f"{tickets_path}/999999")
    assert response.status_code == 404
    assert response.json() == {"detail": "Ticket 999999 not found"}


def test_wrong_method_is_a_405_in_the_same_shape(client: TestClient, tickets_path: str) -> None:
    response = client.put(f"{tickets_path}/1", json={})
    assert response.status_code == 405
    assert response.json() == {"detail": "Method Not Allowed"}


def test_unknown_path_is_a_404_in_the_same_shape(client: TestClient) -> None:
    response = client.get("/no-such-thing")
    assert response.status_code == 404
    assert response.json() == {"detail": "Not Found"}


def test_openapi_lists_the_404_of_reading_a_ticket(client: TestClient, tickets_path: str) -> None:
    paths = client.get("/openapi.json").json()["paths"]
    operation = paths[f"{tickets_path}/{{ticket_id}}"]["get"]
    assert "404" in operation["responses"]


@pytest.fixture
def failing_route(test_route: Callable[..., str]) -> str:
    """A route that fails the way a bug would, removed again after the test."""

    def explode() -> None:
        raise RuntimeError("secret connection string: postgresql://admin:hunter2@db")

    return test_route("/test-only/explode", explode, method="GET")


def test_unexpected_error_is_a_500_without_stack_trace(
    app: FastAPI,
    failing_route: str,
    internal_error_body: Callable[[httpx2.Response], dict[str, Any]],
) -> None:
    # raise_server_exceptions=False: see what a client sees, not the exception the server logs.
    with TestClient(app, raise_server_exceptions=False) as client:
        response = client.get(failing_route)
    assert response.status_code == 500
    assert response.json() == internal_error_body(response)
    assert "hunter2" not in response.text
    assert "Traceback" not in response.text
