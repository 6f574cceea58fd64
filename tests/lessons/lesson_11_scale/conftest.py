"""Lesson 11's fixtures: a migrated database per backend, the app, users, tokens.

Every test that asks for `database_url` runs twice: on SQLite (a copy of a migrated file) and
on PostgreSQL (a database of its own for the whole run, emptied before each test). PostgreSQL
runs only when TEST_DATABASE_URL names a server; otherwise those tests are skipped and say so.

As in lesson 09: no SQL statement may run on the event loop (autouse), and Argon2 runs at its
smallest cost (autouse): the same code path, a thousandth of the work.

The shared behaviours (tests/behaviours/) ask what differs between the apps that keep them:
where the tickets are, how a list holds them, what a 500 says, how an endpoint gets its
session, how to build the app with other settings (`build_app`) and its package's name
(`app_package`, for its loggers and for uvicorn). The fixtures at the end answer for lesson 11.
"""

from __future__ import annotations

import asyncio
import shutil
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from fastapi import FastAPI
from sqlalchemy import Engine, create_engine, event, text
from sqlalchemy.orm import Session

from lessons.lesson_11_scale import security
from lessons.lesson_11_scale.api.deps import DatabaseDep
from lessons.lesson_11_scale.config import Settings
from lessons.lesson_11_scale.main import create_app
from lessons.lesson_11_scale.migrate import upgrade
from lessons.lesson_11_scale.models import Role, Ticket, User
from lessons.lesson_11_scale.security import Principal, create_access_token
from tests.support.api_v1 import (
    internal_error_body,
    listed_tickets,
    newest_first,
    tickets_path,
    token_path,
    users_path,
)
from tests.support.database import app_database_engine, throwaway_postgresql_database
from tests.support.passwords import CHEAP_PASSWORD_HASH
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
TABLES = "users, tickets, login_attempts, idempotency_keys"

Headers = dict[str, str]

no_settings_from_the_developer = isolated_settings(Settings, "REPAIRDESK_")


@pytest.fixture(scope="session", autouse=True)
def cheap_password_hashing() -> Iterator[None]:
    """Argon2id at its smallest cost (8 KiB, 1 pass): the same code path, a thousandth the work."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(security, "_hasher", CHEAP_PASSWORD_HASH)
        yield


@pytest.fixture(autouse=True)
def no_sql_on_the_event_loop() -> Iterator[None]:
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


# --- databases --------------------------------------------------------------------------------


@dataclass(frozen=True)
class MigratedDatabase:
    """A database at the latest migration, once per run and backend."""

    backend: str
    url: str
    sqlite_template: Path | None = None


@pytest.fixture(scope="session", params=["sqlite", "postgresql"])
def migrated_database(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[MigratedDatabase]:
    if request.param == "sqlite":
        template = tmp_path_factory.mktemp("lesson_11") / "template.db"
        upgrade(f"sqlite:///{template}")
        yield MigratedDatabase("sqlite", f"sqlite:///{template}", sqlite_template=template)
        return
    # Skipped, with the reason, unless TEST_DATABASE_URL names a PostgreSQL server.
    with throwaway_postgresql_database("lesson_11") as url:
        upgrade(url)
        yield MigratedDatabase("postgresql", url)


@pytest.fixture
def database_url(migrated_database: MigratedDatabase, tmp_path: Path) -> str:
    """A migrated, empty database for this test alone."""
    if migrated_database.sqlite_template is not None:
        path = tmp_path / "repairdesk.db"
        shutil.copyfile(migrated_database.sqlite_template, path)
        return f"sqlite:///{path}"
    engine = create_engine(migrated_database.url)
    with engine.begin() as connection:
        connection.execute(text(f"TRUNCATE {TABLES} RESTART IDENTITY CASCADE"))
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


# --- users and tokens -------------------------------------------------------------------------


@pytest.fixture(scope="session")
def password_hash(cheap_password_hashing: None) -> str:
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


def bearer(principal: Principal, lifetime: timedelta = timedelta(minutes=5)) -> Headers:
    token = create_access_token(principal, secret_key=TEST_SECRET_KEY, lifetime=lifetime)
    return {"Authorization": f"Bearer {token}"}


@pytest.fixture
def admin(database_url: str, password_hash: str) -> Principal:
    return add_user(database_url, ADMIN_EMAIL, Role.ADMIN, password_hash)


@pytest.fixture
def technician(database_url: str, password_hash: str) -> Principal:
    return add_user(database_url, TECHNICIAN_EMAIL, Role.TECHNICIAN, password_hash)


@pytest.fixture
def admin_headers(admin: Principal) -> Headers:
    return bearer(admin)


@pytest.fixture
def tech_headers(technician: Principal) -> Headers:
    return bearer(technician)


@pytest.fixture
def other_user_headers(database_url: str, password_hash: str) -> Headers:
    """A second technician: what one user's idempotency key means to another."""
    return bearer(add_user(database_url, "other@example.com", Role.TECHNICIAN, password_hash))


# --- what the shared behaviours ask of this app -----------------------------------------------


@pytest.fixture
def app_package() -> str:
    return "lessons.lesson_11_scale"


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
    """Register a POST route whose endpoint runs `work(session)` as the lesson's endpoints do:
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
