"""Every error is JSON: a database outage or an unmigrated database is a 503, not a 500.

Also: a database error that is a bug stays a 500, and a 405 lists every method its path
allows. The 500 of any bug, naming the request id, is a shared behaviour (test_scale.py).
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import text

from final_app.api.deps import DatabaseDep
from final_app.config import Settings
from final_app.main import create_app
from final_app.models import Role
from final_app.security import Principal
from tests.final_app.conftest import TEST_SECRET_KEY, PostgresSchema, bearer

Headers = dict[str, str]


@pytest.fixture
def bug_client(app: FastAPI) -> Iterator[TestClient]:
    """A client that gets the 500 a bug causes, as a real client would, instead of the bug."""
    with TestClient(app, raise_server_exceptions=False) as client:
        yield client


def test_a_database_error_that_is_a_bug_stays_a_500(
    bug_client: TestClient, test_route: Callable[..., str]
) -> None:
    # A migrated database: a missing table here is a mistake in the code, not an outage.
    async def query_a_missing_table(database: DatabaseDep) -> None:
        await database.run(lambda session: session.execute(text("SELECT * FROM no_such_table")))

    response = bug_client.get(test_route("/test/bad-sql", query_a_missing_table, method="GET"))
    assert response.status_code == 500
    assert response.json()["detail"].startswith("Internal server error; quote request id")


# --8<-- [start:method-not-allowed]
@pytest.mark.parametrize(
    ("method", "path", "allowed"),
    [
        ("PUT", "/api/v1/tickets/1", "DELETE, GET, PATCH"),
        ("OPTIONS", "/api/v1/tickets/1", "DELETE, GET, PATCH"),
        ("POST", "/api/v1/tickets/1", "DELETE, GET, PATCH"),
        ("DELETE", "/api/v1/tickets", "GET, POST"),
    ],
)
def test_405_lists_every_method_the_path_allows(
    client: TestClient, method: str, path: str, allowed: str
) -> None:
    response = client.request(method, path)
    assert response.status_code == 405
    assert response.headers["Allow"] == allowed
    assert response.json() == {"detail": "Method Not Allowed"}


# --8<-- [end:method-not-allowed]


# --8<-- [start:outage]
def app_on(database_url: str) -> FastAPI:
    return create_app(Settings(database_url=database_url, secret_key=TEST_SECRET_KEY))


def any_user() -> Headers:
    return bearer(Principal(user_id=1, role=Role.TECHNICIAN))


@pytest.mark.parametrize(
    "unreachable",
    [
        "sqlite:///{tmp_path}/no/such/dir/repairdesk.db",
        "postgresql+psycopg://postgres@127.0.0.1:1/repairdesk",  # nothing listens on port 1
    ],
)
def test_an_unreachable_database_is_a_json_503_logged_once_without_a_traceback(
    unreachable: str, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    app = app_on(unreachable.format(tmp_path=tmp_path))
    with TestClient(app) as client:
        response = client.get("/api/v1/tickets", headers=any_user())
    assert response.status_code == 503
    assert response.json() == {"detail": "The database is unavailable; try again shortly"}
    assert int(response.headers["Retry-After"]) > 0
    [record] = [r for r in caplog.records if r.levelno >= logging.WARNING]
    assert record.getMessage().startswith("database unavailable: OperationalError")
    assert record.exc_info is None


# --8<-- [end:outage]


# --8<-- [start:unmigrated]
def empty_sqlite_database(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path}/empty.db"


def empty_postgresql_database(postgres_schema: PostgresSchema) -> str:
    return postgres_schema.url


def assert_not_migrated(response_json: object) -> None:
    assert isinstance(response_json, dict)
    assert response_json["detail"].startswith("The database is not migrated (at revision none,")
    assert response_json["detail"].endswith("run `python -m final_app migrate`")


def test_an_unmigrated_sqlite_database_is_a_503_naming_the_fix(tmp_path: Path) -> None:
    with TestClient(app_on(empty_sqlite_database(tmp_path))) as client:
        response = client.get("/api/v1/tickets", headers=any_user())
    assert response.status_code == 503
    assert_not_migrated(response.json())


def test_an_unmigrated_postgresql_database_is_a_503_naming_the_fix(
    postgres_schema: PostgresSchema,
) -> None:
    with TestClient(app_on(empty_postgresql_database(postgres_schema))) as client:
        response = client.get("/api/v1/tickets", headers=any_user())
    assert response.status_code == 503
    assert_not_migrated(response.json())


# --8<-- [end:unmigrated]
