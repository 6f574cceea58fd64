"""Fixtures of the final app's tests: a migrated database per backend, the app, users, tokens.

Every test that asks for `database_url` runs twice: on SQLite (a fresh file per test) and on
PostgreSQL (a schema of its own for the whole run, emptied before each test). PostgreSQL runs
only when TEST_DATABASE_URL names a server; otherwise those tests are skipped with the reason.

`cheap_password_hashing` (autouse) swaps the app's Argon2 cost for the smallest one: every app
hashes a dummy password at start-up, and at 19 MiB and 2 passes that is 30 ms per test. Nothing
here depends on the cost but the tests that ask for `shipped_password_hashing`.

The shared behaviours the final app keeps (test_behaviours.py) ask for a few things that
differ from the lessons: where the tickets are, how the list holds them and in which order,
what a 500 says, and how an endpoint gets a session. The fixtures at the end answer for
this app.
"""

from __future__ import annotations

import asyncio
import os
import secrets
import shutil
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import Engine, create_engine, event, make_url, text
from sqlalchemy.orm import Session

from final_app import security
from final_app.api.deps import DatabaseDep
from final_app.config import Settings
from final_app.main import create_app
from final_app.migrate import upgrade
from final_app.models import Role, Ticket, User
from final_app.security import Principal, create_access_token
from tests.support.api_v1 import (
    internal_error_body,
    listed_tickets,
    newest_first,
    tickets_path,
    token_path,
    users_path,
)
from tests.support.database import app_database_engine
from tests.support.passwords import CHEAP_PASSWORD_HASH
from tests.support.requirements import require
from tests.support.settings import isolated_settings

# Fixtures, imported so that pytest finds them here.
__all__ = [
    "app_database_engine",
    "internal_error_body",
    "listed_tickets",
    "newest_first",
    "tickets_path",
    "token_path",
    "users_path",
]

TEST_SECRET_KEY = "test-secret-key-that-is-long-enough-for-hs256"
PASSWORD = "correct horse battery"
ADMIN_EMAIL = "admin@example.com"
TECHNICIAN_EMAIL = "tech@example.com"
POSTGRESQL_SKIP_REASON = (
    "PostgreSQL suite: set TEST_DATABASE_URL=postgresql+psycopg://user@host:5432/db to run it"
)


no_settings_from_the_developer = isolated_settings(Settings, "REPAIRDESK_")


SHIPPED_PASSWORD_HASH = security._hasher  # before the cheap one below replaces it


@pytest.fixture
def shipped_password_hashing(monkeypatch: pytest.MonkeyPatch) -> None:
    """For a test about the cost itself: the Argon2 parameters the app ships."""
    monkeypatch.setattr(security, "_hasher", SHIPPED_PASSWORD_HASH)


@pytest.fixture(scope="session", autouse=True)
def cheap_password_hashing() -> Iterator[None]:
    """Argon2id at its smallest cost (8 KiB, 1 pass): the same code path, a thousandth the work."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(security, "_hasher", CHEAP_PASSWORD_HASH)
        yield


@pytest.fixture(autouse=True)
def no_database_work_on_the_event_loop() -> Iterator[None]:
    """Fail any statement run on an event loop's thread: there it would stall every request."""

    def refuse_on_the_loop(*_: Any) -> None:
        try:
            asyncio.get_running_loop()
        except RuntimeError:  # a worker thread, or a test's own setup: fine
            return
        raise AssertionError("a SQL statement ran on the event loop: await Database.run")

    event.listen(Engine, "before_cursor_execute", refuse_on_the_loop)
    yield
    event.remove(Engine, "before_cursor_execute", refuse_on_the_loop)


@dataclass(frozen=True)
class MigratedDatabase:
    """A database at the latest migration, once per run and backend."""

    backend: str
    url: str
    sqlite_template: Path | None = None


def postgresql_url_or_skip() -> str:
    url = os.environ.get("TEST_DATABASE_URL", "")
    require(bool(url), POSTGRESQL_SKIP_REASON)
    return url


@dataclass(frozen=True)
class PostgresSchema:
    """A schema of its own on the test server: runs never see each other's tables."""

    server_url: str
    name: str

    @property
    def url(self) -> str:
        # Every connection of this URL looks up tables in the schema first.
        url = make_url(self.server_url).update_query_dict({"options": f"-csearch_path={self.name}"})
        return url.render_as_string(hide_password=False)

    def run(self, sql: str) -> None:
        engine = create_engine(self.server_url)
        with engine.begin() as connection:
            connection.execute(text(sql))
        engine.dispose()


@pytest.fixture
def postgres_schema() -> Iterator[PostgresSchema]:
    """An empty schema, dropped with everything in it at the end of the test."""
    schema = PostgresSchema(postgresql_url_or_skip(), f"repairdesk_test_{secrets.token_hex(6)}")
    schema.run(f"CREATE SCHEMA {schema.name}")
    yield schema
    schema.run(f"DROP SCHEMA {schema.name} CASCADE")


@pytest.fixture(scope="session", params=["sqlite", "postgresql"])
def migrated_database(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[MigratedDatabase]:
    if request.param == "sqlite":
        template = tmp_path_factory.mktemp("sqlite") / "template.db"
        upgrade(f"sqlite:///{template}")
        yield MigratedDatabase("sqlite", f"sqlite:///{template}", sqlite_template=template)
        return
    schema = PostgresSchema(postgresql_url_or_skip(), f"repairdesk_test_{secrets.token_hex(6)}")
    schema.run(f"CREATE SCHEMA {schema.name}")
    try:
        upgrade(schema.url)
        yield MigratedDatabase("postgresql", schema.url)
    finally:
        schema.run(f"DROP SCHEMA {schema.name} CASCADE")


@pytest.fixture
def database_url(migrated_database: MigratedDatabase, tmp_path: Path) -> str:
    """A migrated, empty database for this test alone."""
    if migrated_database.sqlite_template is not None:
        path = tmp_path / "repairdesk.db"
        shutil.copyfile(migrated_database.sqlite_template, path)
        return f"sqlite:///{path}"
    engine = create_engine(migrated_database.url)
    with engine.begin() as connection:
        tables = "users, tickets, login_attempts, idempotency_keys"
        connection.execute(text(f"TRUNCATE {tables} RESTART IDENTITY CASCADE"))
    engine.dispose()
    return migrated_database.url


@pytest.fixture
def settings(database_url: str) -> Settings:
    return Settings(database_url=database_url, secret_key=TEST_SECRET_KEY)


@pytest.fixture
def app(settings: Settings) -> Iterator[FastAPI]:
    app = create_app(settings)
    yield app
    app.state.database.dispose()  # tests that skip the lifespan close it too


@pytest.fixture(scope="session")
def password_hash(cheap_password_hashing: None) -> str:
    """Hashed once per run, at the cost every test's app checks it with."""
    return security.hash_password(PASSWORD)


def add_user(database_url: str, email: str, role: Role, password_hash: str) -> Principal:
    engine = create_engine(database_url)
    with Session(engine) as session, session.begin():
        user = User(email=email, password_hash=password_hash, role=role)
        session.add(user)
        session.flush()
        principal = Principal(user_id=user.id, role=role)
    engine.dispose()
    return principal


def bearer(principal: Principal, lifetime: timedelta = timedelta(minutes=5)) -> dict[str, str]:
    token = create_access_token(principal, secret_key=TEST_SECRET_KEY, lifetime=lifetime)
    return {"Authorization": f"Bearer {token}"}


@pytest.fixture
def admin(database_url: str, password_hash: str) -> Principal:
    return add_user(database_url, ADMIN_EMAIL, Role.ADMIN, password_hash)


@pytest.fixture
def technician(database_url: str, password_hash: str) -> Principal:
    return add_user(database_url, TECHNICIAN_EMAIL, Role.TECHNICIAN, password_hash)


@pytest.fixture
def admin_headers(admin: Principal) -> dict[str, str]:
    return bearer(admin)


@pytest.fixture
def tech_headers(technician: Principal) -> dict[str, str]:
    return bearer(technician)


@pytest.fixture
def ticket(client: TestClient, tech_headers: dict[str, str], valid_ticket: dict[str, Any]) -> Any:
    """A ticket as the API returned it on creation."""
    response = client.post("/api/v1/tickets", json=valid_ticket, headers=tech_headers)
    assert response.status_code == 201
    return response.json()


@pytest.fixture
def other_user_headers(database_url: str, password_hash: str) -> dict[str, str]:
    """A second technician: what one user's idempotency key means to another."""
    return bearer(add_user(database_url, "other@example.com", Role.TECHNICIAN, password_hash))


# --- what the shared behaviours ask of this app -----------------------------------------------


@pytest.fixture
def app_package() -> str:
    return "final_app"


@pytest.fixture
def build_app() -> Iterator[Callable[..., FastAPI]]:
    """The app with settings of the test's choosing (the test's secret key unless told)."""
    built: list[FastAPI] = []

    def build(**settings: Any) -> FastAPI:
        built.append(create_app(Settings(**{"secret_key": TEST_SECRET_KEY, **settings})))
        return built[-1]

    yield build
    for app in built:
        app.state.database.dispose()  # tests that skip the lifespan close it too


@pytest.fixture
def session_route(
    test_route: Callable[..., str],
) -> Callable[[str, Callable[[Session], Any]], str]:
    """Register a POST route whose endpoint runs `work(session)` as the app's endpoints do:
    in one `Database.run`, one transaction, committed on success and rolled back on error."""

    def register(path: str, work: Callable[[Session], Any]) -> str:
        async def endpoint(database: DatabaseDep) -> Any:
            return await database.run(work)

        return test_route(path, endpoint)

    return register


@pytest.fixture
def ticket_row() -> Callable[..., Ticket]:
    """Builds a valid `Ticket` row; a field set to None breaks its NOT NULL constraint."""

    def row(**changes: Any) -> Ticket:
        fields: dict[str, Any] = {
            "customer_email": "ada@example.com",
            "device_model": "Pixel 8",
            "estimated_cost": Decimal("129.99"),
        }
        return Ticket(**(fields | changes))

    return row


# What the shared accounts behaviours (tests/behaviours/accounts.py) ask each lesson.
@pytest.fixture
def technician_form() -> dict[str, str]:
    return {"username": TECHNICIAN_EMAIL, "password": PASSWORD}
