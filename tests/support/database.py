"""Isolated databases for tests: each test gets its own, and the learner's file is never touched.

`in_memory_engine()` is a private SQLite database that lives as long as the engine.
`":memory:"` alone is not enough: every new connection would open a new, empty database, so
the tables the app creates at start-up would be gone for its first request. `StaticPool`
hands every session the same single connection.

A lesson's conftest imports the `database_engine` fixture (`from tests.support.database
import database_engine`) and, with `in_memory_app`, puts the engine where its app reads it. From
lesson 07 on, the app opens its database from its settings, and the conftest imports
`app_database_engine` instead. `transaction_fixtures` serves the shared transaction tests, and
`throwaway_postgresql_database` the tests that need a PostgreSQL database of their own.
`engine_on(url)` is an engine for one `with` block: a test's own look at a database.
"""

import os
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from decimal import Decimal
from typing import Any, TypeVar, get_args

import pytest
from alembic.runtime.migration import MigrationContext
from sqlalchemy import Engine, create_engine, func, make_url, select, table, text
from sqlalchemy.pool import StaticPool

from tests.support.requirements import require

Row = TypeVar("Row")


def in_memory_engine() -> Engine:
    return create_engine(
        "sqlite://",
        poolclass=StaticPool,
        # The app's threadpool and the test's thread share the one connection.
        connect_args={"check_same_thread": False},
    )


def row_count(engine: Engine, table_name: str) -> int:
    """How many rows a table holds, as a connection from `engine` sees them.

    On a database file or server, that connection is one of its own: it sees what was
    committed. An in-memory engine (`StaticPool`) has one connection, the app's too, so call
    this once the request is over and its session closed (committed or rolled back).
    """
    with engine.connect() as connection:
        return connection.scalar(select(func.count()).select_from(table(table_name))) or 0


@contextmanager
def engine_on(url: str, **options: Any) -> Iterator[Engine]:
    """An engine on `url` for one `with` block, disposed at its end, also when the block fails.

    An engine's pool keeps its connections open until `dispose()`. Left to the garbage
    collector, they are closed whenever it runs, and Python 3.13's sqlite3 reports each one
    as a ResourceWarning there: an error in whichever test happens to be running.
    """
    engine = create_engine(url, **options)
    try:
        yield engine
    finally:
        engine.dispose()


@pytest.fixture
def database_engine() -> Iterator[Engine]:
    """A fresh in-memory database for one test, closed after it."""
    engine = in_memory_engine()
    yield engine
    engine.dispose()


@pytest.fixture(name="database_engine")
def app_database_engine(settings: Any) -> Iterator[Engine]:
    """A second engine on the database the app opens from `settings`, to see what it committed."""
    url = settings.database_url
    # The URL may carry a password: settings keep it as a SecretStr.
    engine = create_engine(url.get_secret_value())
    yield engine
    engine.dispose()


def ticket_row_builder(ticket_model: Callable[..., Row]) -> Callable[..., Row]:
    """Builds valid rows of a lesson's `Ticket`; keyword arguments change fields.

    A field set to None breaks its NOT NULL constraint: how the shared tests make a write fail.
    """

    def ticket_row(**changes: Any) -> Row:
        fields: dict[str, Any] = {
            "customer_email": "ada@example.com",
            "device_model": "Pixel 8",
            "estimated_cost": Decimal("129.99"),
            "opened_by": "front desk",
        }
        return ticket_model(**(fields | changes))

    return ticket_row


def transaction_fixtures(session_dep: Any, ticket_model: Callable[..., Any]) -> tuple[Any, Any]:
    """The two fixtures tests/behaviours/transactions.py asks of a lesson with a `get_db`.

    `session_dependency` is the `Depends(get_db)` inside the lesson's `SessionDep`, for the
    routes the shared tests add; `ticket_row` builds valid rows of its `Ticket`. A conftest
    writes `session_dependency, ticket_row = transaction_fixtures(SessionDep, Ticket)`.
    """

    @pytest.fixture
    def session_dependency() -> Any:
        return get_args(session_dep)[1]

    @pytest.fixture
    def ticket_row() -> Callable[..., Any]:
        return ticket_row_builder(ticket_model)

    return session_dependency, ticket_row


@contextmanager
def throwaway_postgresql_database(prefix: str) -> Iterator[str]:
    """A new, empty database on TEST_DATABASE_URL's server; its URL, dropped afterwards.

    Without TEST_DATABASE_URL the test is skipped (failed under CI=true, which promises it).
    """
    server = os.environ.get("TEST_DATABASE_URL", "")
    require(server != "", "TEST_DATABASE_URL is not set: the PostgreSQL half is not run")
    name = f"{prefix}_{uuid.uuid4().hex[:12]}"
    # CREATE/DROP DATABASE cannot run inside a transaction.
    admin = create_engine(server, isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as connection:
            connection.execute(text(f'CREATE DATABASE "{name}"'))
        try:
            yield make_url(server).set(database=name).render_as_string(hide_password=False)
        finally:
            with admin.connect() as connection:  # FORCE: also with connections still open
                connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    finally:
        admin.dispose()


def in_memory_app(lesson_app: Any, make_database: Callable[[Engine], Any]) -> Any:
    """The `app` fixture of lessons 05 and 06: the lesson's app on the test's own database.

    A conftest writes `app = in_memory_app(lesson.app, Database)`.
    """

    @pytest.fixture(name="app")
    def app_on_the_test_database(database_engine: Engine) -> Iterator[Any]:
        # The lifespan creates the tables in whatever database the app holds: swap it before
        # any client starts the app. Overriding `get_db` alone would leave the lifespan on the
        # learner's file.
        learners_database = lesson_app.state.database
        lesson_app.state.database = make_database(database_engine)
        yield lesson_app
        lesson_app.state.database = learners_database
        lesson_app.dependency_overrides.clear()  # an override must never leak into the next test

    return app_on_the_test_database


def current_revision(database_url: str) -> str | None:
    """The Alembic revision the database is at; None before the first migration."""
    engine = create_engine(database_url)
    try:
        with engine.connect() as connection:
            revision: str | None = MigrationContext.configure(connection).get_current_revision()
            return revision
    finally:
        engine.dispose()
