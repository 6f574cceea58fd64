"""Lesson 09's fixtures: a migrated database per backend, the app, users, tokens, thread hops.

Every test that asks for `database_url` runs twice: on SQLite (a copy of a migrated file) and
on PostgreSQL (a database of its own for the whole run, emptied before each test). PostgreSQL
runs only when TEST_DATABASE_URL names a server; otherwise those tests are skipped and say so.

Three fixtures make the lesson's claims visible:

- `hops` counts the trips to a worker thread (`anyio.to_thread.run_sync`, which FastAPI uses
  for every `def` endpoint and dependency, and `Database.run` for its work);
- `no_sql_on_the_event_loop` (autouse) fails any SQL statement run on an event loop's thread;
- `cheap_password_hashing` (autouse) swaps the lesson's Argon2 cost for the smallest one: every
  app hashes a dummy password at start-up, and at 19 MiB and 2 passes that is 30 ms per test.
  Lesson 08's tests measure the real cost; nothing here depends on it.
"""

from __future__ import annotations

import asyncio
import shutil
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import timedelta
from decimal import Decimal
from functools import partial
from pathlib import Path
from typing import Any

import anyio.to_thread
import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import Engine, create_engine, event, text
from sqlalchemy.orm import Session

from lessons.lesson_09_request_path import security
from lessons.lesson_09_request_path.api.deps import DatabaseDep
from lessons.lesson_09_request_path.config import Settings
from lessons.lesson_09_request_path.main import create_app
from lessons.lesson_09_request_path.migrate import upgrade
from lessons.lesson_09_request_path.models import Role, Ticket, User
from lessons.lesson_09_request_path.security import Principal, create_access_token
from tests.support.api_v1 import (
    TICKETS,
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
USERS = "/api/v1/users"
TOKEN_URL = "/api/v1/auth/token"

Headers = dict[str, str]

no_settings_from_the_developer = isolated_settings(Settings, "REPAIRDESK_")


# --- cheap passwords, no SQL on the event loop ------------------------------------------------


@pytest.fixture(scope="session", autouse=True)
def cheap_password_hashing() -> Iterator[None]:
    """Argon2id at its smallest cost (8 KiB, 1 pass): the same code path, a thousandth the work."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(security, "_hasher", CHEAP_PASSWORD_HASH)
        yield


class SqlOnTheLoopGuard:
    """Fails every statement run on an event loop's thread: there it would stall every request."""

    def __init__(self) -> None:
        self.active = True

    def __call__(self, *_: Any) -> None:
        if not self.active:
            return
        try:
            asyncio.get_running_loop()
        except RuntimeError:  # a worker thread, or a test's own setup: fine
            return
        raise AssertionError("a SQL statement ran on the event loop: await Database.run")

    @contextmanager
    def paused(self) -> Iterator[None]:
        """For an app that is not lesson 09's (lesson 08 checks its schema on the loop)."""
        self.active = False
        try:
            yield
        finally:
            self.active = True


@pytest.fixture(autouse=True)
def no_sql_on_the_event_loop() -> Iterator[SqlOnTheLoopGuard]:
    guard = SqlOnTheLoopGuard()
    event.listen(Engine, "before_cursor_execute", guard)
    yield guard
    event.remove(Engine, "before_cursor_execute", guard)


# --- thread hops ------------------------------------------------------------------------------


def describe(function: Any) -> str:
    """`get_database`, `run_sync(read_ticket)`: what a trip to a thread ran."""
    if isinstance(function, partial):
        inner = [describe(argument) for argument in function.args[:1] if callable(argument)]
        return (
            f"{describe(function.func)}({', '.join(inner)})" if inner else describe(function.func)
        )
    return getattr(function, "__name__", type(function).__name__)


@dataclass
class Hops:
    """Every trip to a worker thread since the last `reset`: what it ran, and the limiter it
    waited for (None: the default one, FastAPI's threadpool of 40)."""

    trips: list[tuple[str, Any]] = field(default_factory=list)

    def reset(self) -> None:
        self.trips.clear()

    @property
    def count(self) -> int:
        return len(self.trips)

    def assert_one_database_trip(self, app: FastAPI) -> None:
        names = [name for name, _ in self.trips]
        assert self.count == 1, f"{self.count} trips to a thread, not one: {names}"
        [(name, limiter)] = self.trips
        assert limiter is app.state.database.threads, f"{name} is not a Database.run trip"


@pytest.fixture
def hops(monkeypatch: pytest.MonkeyPatch) -> Hops:
    """Counts `anyio.to_thread.run_sync` calls: Starlette's `run_in_threadpool` (FastAPI's `def`
    endpoints and dependencies), FastAPI's yield-dependency exits and `Database.run` all use it."""
    hops = Hops()
    run_sync = anyio.to_thread.run_sync

    async def counted(function: Callable[..., Any], *args: Any, **options: Any) -> Any:
        hops.trips.append((describe(function), options.get("limiter")))
        return await run_sync(function, *args, **options)

    monkeypatch.setattr(anyio.to_thread, "run_sync", counted)
    return hops


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
        template = tmp_path_factory.mktemp("lesson_09") / "template.db"
        upgrade(f"sqlite:///{template}")
        yield MigratedDatabase("sqlite", f"sqlite:///{template}", sqlite_template=template)
        return
    # Skipped, with the reason, unless TEST_DATABASE_URL names a PostgreSQL server.
    with throwaway_postgresql_database("lesson_09") as url:
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
        connection.execute(text("TRUNCATE users, tickets, login_attempts RESTART IDENTITY CASCADE"))
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
def ticket(client: TestClient, tech_headers: Headers, valid_ticket: dict[str, Any]) -> Any:
    """A ticket as the API returned it on creation."""
    response = client.post(TICKETS, json=valid_ticket, headers=tech_headers)
    assert response.status_code == 201, response.text
    return response.json()


# --- holding work in its thread, to see what waits --------------------------------------------

WAIT = 5.0  # seconds; what the tests wait for takes milliseconds unless something is stuck


async def until(condition: Callable[[], bool], what: str) -> None:
    """Wait on the event loop until `condition()` holds (the threads move meanwhile)."""
    deadline = asyncio.get_running_loop().time() + WAIT
    while not condition():
        if asyncio.get_running_loop().time() > deadline:
            raise AssertionError(f"still not {what} after {WAIT} s")
        await asyncio.sleep(0.001)


class HeldWork:
    """Wraps a unit of work so that it blocks until released, counting how many run at once."""

    def __init__(self) -> None:
        self.running = 0
        self.most = 0
        self.lock = threading.Lock()
        self.released = threading.Event()

    def hold(self, work: Callable[..., Any]) -> Callable[..., Any]:
        def held(*args: Any, **kwargs: Any) -> Any:
            with self.lock:
                self.running += 1
                self.most = max(self.most, self.running)
            try:
                self.released.wait(WAIT)
                return work(*args, **kwargs)
            finally:
                with self.lock:
                    self.running -= 1

        return held


# --- what the shared behaviours ask of this app -----------------------------------------------


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
