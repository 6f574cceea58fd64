"""Checks the batch: all or nothing; and the learner's test, which must catch the bug.

--8<-- [start:hint]
For the test: `client.post("/tickets", json={...})` twice (take each `["id"]` from the
answer), then `client.post("/tickets/cancel", json={"ticket_ids": [first, second, 999]})`,
assert its status code, then `client.get(f"/tickets/{first}").json()["status"]`. For the
fix: `get_db` must commit only after a `yield` that returned normally; an exception from the
endpoint arrives *at* the `yield`: catch it with `except Exception:`, `session.rollback()`,
and `raise` it again. Lesson 05's `db.py` has the pattern.
--8<-- [end:hint]
"""

from collections.abc import Iterator
from types import ModuleType
from typing import Any

from fastapi import Request
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from exercises.checks.words import answered, where_it_failed

TEST_NAME = "test_a_failed_batch_cancels_nothing"
TICKET = {"customer_email": "ada@example.com", "device_model": "Pixel 8", "estimated_cost": "90"}


def open_two(client: TestClient) -> list[int]:
    ids = []
    for _ in range(2):
        response = client.post("/tickets", json=TICKET)
        assert response.status_code == 201, answered("POST /tickets", response, 201)
        ids.append(response.json()["id"])
    return ids


def status_of(client: TestClient, ticket_id: int) -> str:
    response = client.get(f"/tickets/{ticket_id}")
    assert response.status_code == 200, answered(f"GET /tickets/{ticket_id}", response, 200)
    status: str = response.json()["status"]
    return status


def learners_test(module: ModuleType) -> Any:
    test = getattr(module, TEST_NAME, None)
    assert callable(test), f"keep the test function `{TEST_NAME}`: the check runs it"
    return test


def test_your_test_passes(module: ModuleType, client: TestClient) -> None:
    try:
        learners_test(module)(client)
    except AssertionError as failure:
        raise AssertionError(
            f"your test fails {where_it_failed(failure)}: good, if get_db "
            "still has its bug (your test found it); now fix get_db"
        ) from failure


def committing_get_db(request: Request) -> Iterator[Session]:
    """The bug: commits whatever happened."""
    with request.app.state.database.sessions() as session:
        try:
            yield session
        finally:
            session.commit()


def test_your_test_catches_the_bug(module: ModuleType, client: TestClient) -> None:
    client.app.dependency_overrides[module.get_db] = committing_get_db  # type: ignore[attr-defined]
    try:
        learners_test(module)(client)
    except AssertionError:
        return  # it caught the bug
    raise AssertionError(
        "your test passes even with a get_db that commits failed requests: "
        "does it read the tickets back and check their status?"
    )


def test_a_failed_batch_changes_nothing(client: TestClient) -> None:
    first, second = open_two(client)
    response = client.post("/tickets/cancel", json={"ticket_ids": [first, second, 999]})
    assert response.status_code == 404, answered("a batch with id 999", response, 404)
    for ticket_id in (first, second):
        status = status_of(client, ticket_id)
        assert status == "received", (
            f"after the failed batch, ticket {ticket_id} is {status!r}: what a failed request "
            "wrote was committed. It should still be 'received'."
        )


def test_a_successful_batch_is_saved(client: TestClient) -> None:
    first, second = open_two(client)
    response = client.post("/tickets/cancel", json={"ticket_ids": [first, second]})
    assert response.status_code == 200, answered("a batch of known ids", response, 200)
    for ticket_id in (first, second):
        status = status_of(client, ticket_id)
        assert status == "cancelled", (
            f"after a successful batch, ticket {ticket_id} is {status!r}: it was not committed"
        )
