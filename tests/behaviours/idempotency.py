"""Lesson 11's `Idempotency-Key`, kept by the final app: a retried create creates nothing new.

A client that got no answer to a POST retries it with the same key and body, and gets the
first ticket back (201, the same body, `Idempotent-Replayed: true`) instead of a second one;
the same key with another body is a 409 that says what to do. Keys belong to a user, live 24
hours, and two requests racing with one key (on two replicas) still make one ticket.

The conftest gives `tech_headers` and `other_user_headers` (two users), `build_app` (a second
app on the same database: a second replica) and `app_package` (for the service itself).
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta
from importlib import import_module
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import DateTime, Engine, bindparam, text

from tests.support.database import row_count

Headers = dict[str, str]
KEY = "8f14e45f-ceea-467f-a0e6-0a1b2c3d4e5f"


def with_key(headers: Headers, key: str = KEY) -> Headers:
    return {**headers, "Idempotency-Key": key}


# --8<-- [start:retry]
def test_a_retry_with_the_same_key_and_body_answers_the_first_ticket(
    client: TestClient,
    tickets_path: str,
    tech_headers: Headers,
    valid_ticket: dict[str, Any],
    database_engine: Engine,
) -> None:
    first = client.post(tickets_path, json=valid_ticket, headers=with_key(tech_headers))
    retry = client.post(tickets_path, json=valid_ticket, headers=with_key(tech_headers))
    assert (first.status_code, retry.status_code) == (201, 201)
    assert "Idempotent-Replayed" not in first.headers
    assert retry.headers["Idempotent-Replayed"] == "true"
    assert retry.json() == first.json()
    assert retry.headers["Location"] == first.headers["Location"]
    assert row_count(database_engine, "tickets") == 1


def test_the_same_key_with_another_body_is_a_409_saying_what_to_do(
    client: TestClient,
    tickets_path: str,
    tech_headers: Headers,
    valid_ticket: dict[str, Any],
    database_engine: Engine,
) -> None:
    client.post(tickets_path, json=valid_ticket, headers=with_key(tech_headers))
    other = {**valid_ticket, "device_model": "Pixel 9"}
    response = client.post(tickets_path, json=other, headers=with_key(tech_headers))
    assert response.status_code == 409
    assert response.json() == {
        "detail": "This Idempotency-Key was first used with a different body: resend that "
        "body to get its ticket back, or use a new key for a new ticket"
    }
    assert row_count(database_engine, "tickets") == 1


# --8<-- [end:retry]


def test_the_same_ticket_written_differently_is_the_same_request(
    client: TestClient, tickets_path: str, tech_headers: Headers, valid_ticket: dict[str, Any]
) -> None:
    first = client.post(tickets_path, json=valid_ticket, headers=with_key(tech_headers))
    # The same fields in another order, the cost as a number: the same ticket to the API.
    reordered = dict(reversed(valid_ticket.items())) | {"estimated_cost": 129.99}
    retry = client.post(tickets_path, json=reordered, headers=with_key(tech_headers))
    assert (retry.status_code, retry.json()) == (201, first.json())
    assert retry.headers["Idempotent-Replayed"] == "true"


def test_a_key_belongs_to_its_user(
    client: TestClient,
    tickets_path: str,
    tech_headers: Headers,
    other_user_headers: Headers,
    valid_ticket: dict[str, Any],
) -> None:
    mine = client.post(tickets_path, json=valid_ticket, headers=with_key(tech_headers))
    theirs = client.post(tickets_path, json=valid_ticket, headers=with_key(other_user_headers))
    assert (mine.status_code, theirs.status_code) == (201, 201)
    assert "Idempotent-Replayed" not in theirs.headers
    assert theirs.json()["id"] != mine.json()["id"]


def test_without_a_key_each_post_is_a_new_ticket(
    client: TestClient, tickets_path: str, tech_headers: Headers, valid_ticket: dict[str, Any]
) -> None:
    first = client.post(tickets_path, json=valid_ticket, headers=tech_headers)
    second = client.post(tickets_path, json=valid_ticket, headers=tech_headers)
    assert first.json()["id"] != second.json()["id"]


def test_a_refused_body_does_not_use_up_the_key(
    client: TestClient, tickets_path: str, tech_headers: Headers, valid_ticket: dict[str, Any]
) -> None:
    invalid = {**valid_ticket, "estimated_cost": "-1"}
    refused = client.post(tickets_path, json=invalid, headers=with_key(tech_headers))
    corrected = client.post(tickets_path, json=valid_ticket, headers=with_key(tech_headers))
    assert (refused.status_code, corrected.status_code) == (422, 201)
    assert "Idempotent-Replayed" not in corrected.headers


def expire_every_key(engine: Engine) -> None:
    # Typed as the column is, so SQLAlchemy writes the time as the app does: sqlite3's own
    # datetime adapter would, and it is deprecated since Python 3.12.
    expire = text("UPDATE idempotency_keys SET expires_at = :past").bindparams(
        bindparam("past", type_=DateTime(timezone=True))
    )
    with engine.begin() as connection:
        connection.execute(expire, {"past": datetime.now(UTC) - timedelta(seconds=1)})


def test_an_expired_key_is_forgotten_and_starts_afresh(
    client: TestClient,
    tickets_path: str,
    tech_headers: Headers,
    valid_ticket: dict[str, Any],
    database_engine: Engine,
) -> None:
    first = client.post(tickets_path, json=valid_ticket, headers=with_key(tech_headers))
    expire_every_key(database_engine)
    again = client.post(tickets_path, json=valid_ticket, headers=with_key(tech_headers))
    assert again.status_code == 201
    assert "Idempotent-Replayed" not in again.headers
    assert again.json()["id"] != first.json()["id"]
    assert row_count(database_engine, "idempotency_keys") == 1


def test_expired_keys_are_cleaned_up_by_the_next_create_with_a_key(
    client: TestClient,
    tickets_path: str,
    tech_headers: Headers,
    other_user_headers: Headers,
    valid_ticket: dict[str, Any],
    database_engine: Engine,
) -> None:
    for key in ("first", "second"):
        client.post(tickets_path, json=valid_ticket, headers=with_key(tech_headers, key))
    expire_every_key(database_engine)
    client.post(tickets_path, json=valid_ticket, headers=with_key(other_user_headers, "third"))
    with database_engine.connect() as connection:
        keys = connection.execute(text("SELECT key FROM idempotency_keys")).scalars().all()
    assert keys == ["third"]


@pytest.mark.parametrize(
    "bad_key", ["", "a" * 256, "two words", "key/with/slash", "clé", "tab\there"]
)
def test_a_malformed_key_is_a_422_naming_the_header(
    client: TestClient,
    tickets_path: str,
    tech_headers: Headers,
    valid_ticket: dict[str, Any],
    bad_key: str,
    database_engine: Engine,
) -> None:
    # As bytes, so that "clé" goes out as the UTF-8 a client may send (a str must be ASCII).
    headers = {name.encode(): value.encode() for name, value in tech_headers.items()}
    headers[b"Idempotency-Key"] = bad_key.encode()
    response = client.post(tickets_path, json=valid_ticket, headers=headers)
    assert response.status_code == 422
    [error] = response.json()["detail"]
    assert error["loc"] == ["header", "Idempotency-Key"]
    assert row_count(database_engine, "tickets") == 0


def test_the_openapi_document_describes_the_key_and_the_replay(
    client: TestClient, tickets_path: str
) -> None:
    create = client.get("/openapi.json").json()["paths"][tickets_path]["post"]
    [key] = [p for p in create["parameters"] if p["name"] == "Idempotency-Key"]
    assert key["in"] == "header"
    assert not key["required"]
    assert "retry" in key["description"]
    assert "Idempotent-Replayed" in create["responses"]["201"]["headers"]
    assert "409" in create["responses"]


# --- two replicas, one key --------------------------------------------------------------------


def test_simultaneous_retries_on_two_replicas_make_one_ticket_per_key(
    app: FastAPI,
    build_app: Callable[..., FastAPI],
    database_url: str,
    tickets_path: str,
    tech_headers: Headers,
    valid_ticket: dict[str, Any],
    database_engine: Engine,
) -> None:
    keys = [f"race-{number}" for number in range(8)]
    other_replica = build_app(database_url=database_url)
    with TestClient(app) as one, TestClient(other_replica) as two:
        start = threading.Barrier(2 * len(keys))

        def post(client: TestClient, key: str) -> tuple[str, int, int]:
            start.wait()
            response = client.post(
                tickets_path, json=valid_ticket, headers=with_key(tech_headers, key)
            )
            return key, response.status_code, response.json()["id"]

        with ThreadPoolExecutor(max_workers=2 * len(keys)) as pool:
            futures = [pool.submit(post, c, key) for key in keys for c in (one, two)]
            results = [future.result() for future in futures]
    assert {status for _, status, _ in results} == {201}
    ids_by_key = {key: {id_ for k, _, id_ in results if k == key} for key in keys}
    assert all(len(ids) == 1 for ids in ids_by_key.values()), ids_by_key
    assert row_count(database_engine, "tickets") == len(keys)


def test_the_second_of_two_racing_transactions_waits_and_answers_the_firsts_ticket(
    app: FastAPI,
    build_app: Callable[..., FastAPI],
    database_url: str,
    technician: Any,
    valid_ticket: dict[str, Any],
    app_package: str,
    database_engine: Engine,
) -> None:
    """The race itself, held open: the first transaction has claimed the key, not committed."""
    service = import_module(f"{app_package}.services.idempotency")
    data = import_module(f"{app_package}.schemas").TicketCreate.model_validate(valid_ticket)
    first_replica, second_replica = (
        app.state.database,
        build_app(database_url=database_url).state.database,
    )

    def create(sessions: Any) -> Any:
        with sessions.begin() as session:
            return service.create_ticket_once(session, data, user_id=technician.user_id, key=KEY)

    with first_replica.sessions() as first:
        won = service.create_ticket_once(first, data, user_id=technician.user_id, key=KEY)
        with ThreadPoolExecutor(max_workers=1) as pool:
            racing = pool.submit(create, second_replica.sessions)
            with pytest.raises(TimeoutError):
                racing.result(timeout=0.5)  # it waits for the first transaction's key
            first.commit()
            lost = racing.result(timeout=10)
    second_replica.dispose()
    assert (won.replayed, lost.replayed) == (False, True)
    assert lost.ticket == won.ticket
    assert row_count(database_engine, "tickets") == 1
