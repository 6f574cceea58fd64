"""Reads cost PostgreSQL a round trip per statement, no more; writes keep their transaction.

A transaction costs two round trips of its own (BEGIN, COMMIT), so reads run outside one
(`Database.read`, autocommit), and the authenticated read of a ticket checks the account in
its own statement: one round trip in all. A SQLAlchemy event counts the statements and notes
whether the connection was inside a transaction after each. SQLite's driver opens none for a
read, and one before a write, so the same tests hold there.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from psycopg.pq import TransactionStatus
from sqlalchemy import event, text
from sqlalchemy.engine import Connection

from final_app.db import Database
from final_app.security import Principal
from tests.final_app.conftest import bearer

Headers = dict[str, str]
TICKETS = "/api/v1/tickets"


@dataclass(frozen=True)
class Statement:
    sql: str
    in_a_transaction: bool  # after it ran: a BEGIN went before it, a COMMIT will follow


def in_a_transaction(dbapi_connection: Any) -> bool:
    if isinstance(dbapi_connection, sqlite3.Connection):
        return dbapi_connection.in_transaction
    return bool(dbapi_connection.info.transaction_status is not TransactionStatus.IDLE)


@pytest.fixture
def statements(app: FastAPI) -> Iterator[list[Statement]]:
    """Every statement the app's engine runs from now on."""
    sent: list[Statement] = []

    def record(connection: Connection, _cursor: Any, sql: str, *_: Any) -> None:
        sent.append(Statement(sql, in_a_transaction(connection.connection.driver_connection)))

    engine = app.state.database.engine
    event.listen(engine, "after_cursor_execute", record)
    yield sent
    event.remove(engine, "after_cursor_execute", record)


def test_reading_a_ticket_is_one_statement_outside_a_transaction(
    client: TestClient, tech_headers: Headers, ticket: dict[str, Any], statements: list[Statement]
) -> None:
    statements.clear()
    assert client.get(f"{TICKETS}/{ticket['id']}", headers=tech_headers).status_code == 200
    [read] = statements  # the account check rides in the ticket's statement
    assert not read.in_a_transaction  # no BEGIN before it, no COMMIT after: one round trip


def test_a_list_is_a_round_trip_per_statement(
    client: TestClient, tech_headers: Headers, ticket: dict[str, Any], statements: list[Statement]
) -> None:
    statements.clear()
    assert client.get(TICKETS, headers=tech_headers).json()["total"] == 1
    assert len(statements) == 3  # the account, the count, the page
    assert not any(statement.in_a_transaction for statement in statements)


def test_a_create_stays_one_transaction(
    client: TestClient,
    tech_headers: Headers,
    valid_ticket: dict[str, Any],
    statements: list[Statement],
) -> None:
    statements.clear()
    assert client.post(TICKETS, json=valid_ticket, headers=tech_headers).status_code == 201
    [insert] = [statement for statement in statements if statement.sql.startswith("INSERT")]
    assert insert.in_a_transaction


def test_a_connection_that_read_goes_back_to_the_pool_transactional(
    app: FastAPI,
    client: TestClient,
    tech_headers: Headers,
    ticket: dict[str, Any],
    statements: list[Statement],
) -> None:
    database: Database = app.state.database
    client.get(f"{TICKETS}/{ticket['id']}", headers=tech_headers)  # its connection, back in
    statements.clear()  # the pool, is the one the next unit of work takes: one at a time
    no_change = text("UPDATE tickets SET notes = notes WHERE id = 0")
    database.run_sync(lambda session: session.execute(no_change))
    [statement] = statements
    assert statement.in_a_transaction


# --- what a read answers: the account check it carries --------------------------------------


def test_a_ticket_is_read_by_an_active_account(
    client: TestClient, tech_headers: Headers, ticket: dict[str, Any]
) -> None:
    response = client.get(f"{TICKETS}/{ticket['id']}", headers=tech_headers)
    assert response.status_code == 200
    assert response.json() == ticket


def test_a_missing_ticket_is_404_for_an_active_account(
    client: TestClient, tech_headers: Headers
) -> None:
    assert client.get(f"{TICKETS}/999", headers=tech_headers).status_code == 404


@pytest.mark.parametrize("ticket_exists", [True, False])
def test_a_deactivated_account_reads_nothing_not_even_whether_a_ticket_exists(
    client: TestClient,
    admin_headers: Headers,
    technician: Principal,
    tech_headers: Headers,
    ticket: dict[str, Any],
    ticket_exists: bool,
) -> None:
    deactivate = {"is_active": False}
    client.patch(f"/api/v1/users/{technician.user_id}", json=deactivate, headers=admin_headers)
    ticket_id = ticket["id"] if ticket_exists else 999
    response = client.get(f"{TICKETS}/{ticket_id}", headers=tech_headers)
    assert response.status_code == 401
    assert response.headers["WWW-Authenticate"] == "Bearer"


def test_a_token_for_an_account_that_is_gone_reads_nothing(
    client: TestClient, ticket: dict[str, Any], technician: Principal
) -> None:
    gone = Principal(user_id=technician.user_id + 100, role=technician.role)
    assert client.get(f"{TICKETS}/{ticket['id']}", headers=bearer(gone)).status_code == 401
