"""Empty databases for migration tests: a SQLite file always, PostgreSQL when configured.

Set TEST_DATABASE_URL (e.g. postgresql+psycopg://postgres@127.0.0.1:5432/test) to run the
migration tests against PostgreSQL too. Each test gets a database of its own, created
through that URL and dropped afterwards, so it never touches the tables other suites keep
in the database the URL names.
"""

import os
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import create_engine, make_url, text

from tests.support.requirements import require

TEST_DATABASE_URL = os.environ.get("TEST_DATABASE_URL", "")


def sqlite_database(directory: Path) -> str:
    return f"sqlite:///{directory / 'empty.db'}"


def postgresql_database(prefix: str) -> Iterator[str]:
    """Create an empty PostgreSQL database, yield its URL, drop it."""
    require(
        TEST_DATABASE_URL != "", "TEST_DATABASE_URL is not set: PostgreSQL migration tests not run"
    )
    server_url = make_url(TEST_DATABASE_URL)
    name = f"{prefix}_{uuid.uuid4().hex[:12]}"
    # CREATE/DROP DATABASE cannot run inside a transaction.
    admin = create_engine(server_url, isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as connection:
            connection.execute(text(f'CREATE DATABASE "{name}"'))
        yield server_url.set(database=name).render_as_string(hide_password=False)
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    finally:
        admin.dispose()


@pytest.fixture(params=["sqlite", "postgresql"])
def empty_database_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    if request.param == "sqlite":
        yield sqlite_database(tmp_path)
    else:
        yield from postgresql_database(prefix="lesson_migrations")
