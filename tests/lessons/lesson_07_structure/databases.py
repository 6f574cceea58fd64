"""Empty databases for migration tests: a SQLite file always, PostgreSQL when configured.

Set TEST_DATABASE_URL (e.g. postgresql+psycopg://postgres@127.0.0.1:5432/test) to run the
migration tests against PostgreSQL too. Each test gets a database of its own, created
through that URL and dropped afterwards, so it never touches the tables other suites keep
in the database the URL names.
"""

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.support.database import throwaway_postgresql_database


def sqlite_database(directory: Path) -> str:
    return f"sqlite:///{directory / 'empty.db'}"


@pytest.fixture(params=["sqlite", "postgresql"])
def empty_database_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    if request.param == "sqlite":
        yield sqlite_database(tmp_path)
    else:
        with throwaway_postgresql_database("lesson_migrations") as url:
            yield url
