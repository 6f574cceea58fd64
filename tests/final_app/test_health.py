"""Health probes: live while the process runs, ready while the database answers, migrated."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from alembic.script import ScriptDirectory
from fastapi.testclient import TestClient

from final_app.config import Settings
from final_app.main import create_app
from final_app.migrate import MIGRATIONS_DIR, upgrade
from tests.final_app.conftest import PostgresSchema


def test_live_is_200(client: TestClient) -> None:
    response = client.get("/health/live")
    assert (response.status_code, response.json()) == (200, {"status": "ok"})


def test_ready_is_200_when_the_database_answers(client: TestClient) -> None:
    response = client.get("/health/ready")
    assert (response.status_code, response.json()) == (200, {"status": "ok"})


@pytest.mark.parametrize(
    "unreachable",
    [
        "sqlite:///{tmp_path}/no/such/dir/repairdesk.db",
        "postgresql+psycopg://postgres@127.0.0.1:1/repairdesk",  # nothing listens on port 1
    ],
)
def test_ready_is_503_when_the_database_does_not_answer(unreachable: str, tmp_path: Path) -> None:
    app = create_app(Settings(database_url=unreachable.format(tmp_path=tmp_path)))
    with TestClient(app) as client:
        response = client.get("/health/ready")
        live = client.get("/health/live")
    assert response.status_code == 503
    assert response.json() == {"detail": "The database does not answer"}
    assert live.status_code == 200


def revision_before_head() -> str:
    """The revision one migration short of the head, read from the scripts (none: skipped)."""
    scripts = ScriptDirectory(str(MIGRATIONS_DIR))
    [head] = scripts.get_heads()
    previous = scripts.get_revision(head).down_revision
    if not isinstance(previous, str):
        pytest.skip("one migration only: no older revision to stop at")
    return previous


def ready_on(database_url: str) -> tuple[int, Any]:
    with TestClient(create_app(Settings(database_url=database_url))) as client:
        response = client.get("/health/ready")
    return response.status_code, response.json()


def assert_not_migrated(status_and_body: tuple[int, Any], at_revision: str) -> None:
    status_code, body = status_and_body
    assert status_code == 503
    detail = body["detail"]
    assert detail.startswith(f"The database is not migrated (at revision {at_revision},")
    assert detail.endswith("run `python -m final_app migrate`")


def test_ready_is_503_naming_the_fix_on_an_unmigrated_sqlite_database(tmp_path: Path) -> None:
    assert_not_migrated(ready_on(f"sqlite:///{tmp_path}/empty.db"), "none")


def test_ready_is_503_naming_the_fix_on_an_unmigrated_postgresql_database(
    postgres_schema: PostgresSchema,
) -> None:
    assert_not_migrated(ready_on(postgres_schema.url), "none")


def test_ready_is_503_on_a_sqlite_database_one_migration_behind(tmp_path: Path) -> None:
    url, previous = f"sqlite:///{tmp_path}/behind.db", revision_before_head()
    upgrade(url, previous)
    assert_not_migrated(ready_on(url), previous)


def test_ready_is_503_on_a_postgresql_database_one_migration_behind(
    postgres_schema: PostgresSchema,
) -> None:
    previous = revision_before_head()
    upgrade(postgres_schema.url, previous)
    assert_not_migrated(ready_on(postgres_schema.url), previous)
