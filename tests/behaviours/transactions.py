"""Lesson 05's transaction behaviours, kept by every lesson with its `get_db` session.

One session per request, committed before the response is sent or rolled back whole: a
failed request never leaves half its writes behind, whether a write or the endpoint's own
code failed, and a failed commit is never reported as a success. The lesson's conftest
provides `session_dependency` (the `Depends(get_db)` inside its `SessionDep`), which
`session_route` (tests/conftest.py) gives the test's endpoints, and `ticket_row` (builds a
`Ticket` row), so these tests fit every such lesson.
"""

from collections.abc import Callable
from typing import Any

import httpx2
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import Engine
from sqlalchemy.orm import Session

from tests.support.database import row_count


# --8<-- [start:no-partial-write]
def test_a_failed_request_leaves_no_partial_write(
    app: FastAPI,
    database_engine: Engine,
    session_route: Callable[..., str],
    ticket_row: Callable[..., Any],
) -> None:
    def write_two_tickets(session: Session) -> None:
        session.add(ticket_row())
        session.flush()  # the first INSERT succeeds...
        session.add(ticket_row(customer_email=None))
        session.flush()  # ...the second breaks a NOT NULL constraint

    path = session_route("/test-only/write-two", write_two_tickets)
    with TestClient(app, raise_server_exceptions=False) as client:
        assert client.post(path).status_code == 500
        assert row_count(database_engine, "tickets") == 0  # the first INSERT was rolled back


# --8<-- [end:no-partial-write]


# --8<-- [start:error-after-write]
def test_an_endpoint_that_fails_after_writing_leaves_no_row(
    app: FastAPI,
    database_engine: Engine,
    session_route: Callable[..., str],
    ticket_row: Callable[..., Any],
) -> None:
    def write_then_fail(session: Session) -> None:
        session.add(ticket_row())
        session.flush()  # a valid INSERT: unlike a broken one, it leaves the session usable...
        raise RuntimeError("the endpoint fails after its write")

    path = session_route("/test-only/write-then-fail", write_then_fail)
    with TestClient(app, raise_server_exceptions=False) as client:
        assert client.post(path).status_code == 500
        # ...so a `get_db` that commits "in any case" (in `finally`) would keep the row.
        assert row_count(database_engine, "tickets") == 0


# --8<-- [end:error-after-write]


# --8<-- [start:failed-commit]
def test_a_commit_that_fails_is_a_500_not_a_success(
    app: FastAPI,
    session_route: Callable[..., str],
    ticket_row: Callable[..., Any],
    internal_error_body: Callable[[httpx2.Response], dict[str, Any]],
) -> None:
    def add_without_flushing(session: Session) -> dict[str, str]:
        session.add(ticket_row(customer_email=None))  # fails only when `get_db` commits
        return {"saved": "yes"}

    path = session_route("/test-only/add", add_without_flushing)
    with TestClient(app, raise_server_exceptions=False) as client:
        response = client.post(path)
    # The commit runs before the response is sent (scope="function"), so the client learns
    # that nothing was saved instead of reading {"saved": "yes"}.
    assert response.status_code == 500
    assert response.json() == internal_error_body(response)


# --8<-- [end:failed-commit]
