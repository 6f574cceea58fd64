"""Migrations: they build the schema from nothing, and they match the models exactly."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import create_engine, inspect, text

from final_app.migrate import downgrade_to_base, upgrade
from final_app.models import Base
from tests.final_app.conftest import PostgresSchema

ROOT = Path(__file__).resolve().parents[2]
TABLES = {"alembic_version", "users", "tickets", "login_attempts", "idempotency_keys"}


@pytest.fixture(params=["sqlite", "postgresql"])
def empty_database_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'empty.db'}"
    schema: PostgresSchema = request.getfixturevalue("postgres_schema")
    return schema.url


def table_names(url: str) -> set[str]:
    engine = create_engine(url)
    names = set(inspect(engine).get_table_names())
    engine.dispose()
    return names


def test_upgrade_from_empty_creates_every_table(empty_database_url: str) -> None:
    upgrade(empty_database_url)
    assert table_names(empty_database_url) == TABLES


def test_the_migrated_schema_matches_the_models(empty_database_url: str) -> None:
    upgrade(empty_database_url)
    engine = create_engine(empty_database_url)
    with engine.connect() as connection:
        drift = compare_metadata(MigrationContext.configure(connection), Base.metadata)
    engine.dispose()
    assert drift == []


def test_downgrade_to_base_removes_every_table(empty_database_url: str) -> None:
    upgrade(empty_database_url)
    downgrade_to_base(empty_database_url)
    assert table_names(empty_database_url) == {"alembic_version"}


def test_the_cli_migrates_from_any_directory(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'cli.db'}"
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    result = subprocess.run(
        [sys.executable, "-m", "final_app", "migrate"],
        cwd=elsewhere,
        env={**os.environ, "REPAIRDESK_DATABASE_URL": url, "PYTHONPATH": str(ROOT)},
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert "Running upgrade  -> 0001" in result.stderr
    assert table_names(url) == TABLES


def test_upgrading_a_populated_database_keeps_its_rows_and_never_reuses_their_ids(
    empty_database_url: str,
) -> None:
    """0002 rebuilds the tables on SQLite (to add AUTOINCREMENT): nothing may be lost."""
    upgrade(empty_database_url, "0001")
    engine = create_engine(empty_database_url)
    with engine.begin() as connection:
        connection.execute(
            text(
                "INSERT INTO users (email, password_hash, role, created_at) "
                "VALUES ('a@example.com', 'h', 'admin', '2026-01-01'), "
                "('b@example.com', 'h', 'technician', '2026-01-01')"
            )
        )
    upgrade(empty_database_url)
    with engine.begin() as connection:
        rows = connection.execute(text("SELECT id, email, is_active FROM users ORDER BY id"))
        assert [tuple(row) for row in rows] == [
            (1, "a@example.com", True),
            (2, "b@example.com", True),
        ]
        connection.execute(text("DELETE FROM users WHERE id = 2"))
        connection.execute(
            text(
                "INSERT INTO users (email, password_hash, role, created_at) "
                "VALUES ('c@example.com', 'h', 'technician', '2026-01-02')"
            )
        )
        new_id = connection.scalar(text("SELECT id FROM users WHERE email = 'c@example.com'"))
    engine.dispose()
    assert new_id == 3


def test_a_migrated_sqlite_file_uses_write_ahead_logging(tmp_path: Path) -> None:
    """Set once, by the migration: replicas opening it together never race to switch it."""
    url = f"sqlite:///{tmp_path / 'wal.db'}"
    upgrade(url)
    engine = create_engine(url)
    with engine.connect() as connection:
        assert connection.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
    engine.dispose()
