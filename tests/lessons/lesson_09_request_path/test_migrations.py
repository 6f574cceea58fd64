"""Lesson 09's migrations match its models (the drift check of lessons 07 and 08, shared), on
SQLite and, when TEST_DATABASE_URL is set, PostgreSQL; and the CLI applies them from anywhere."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from types import ModuleType

import pytest
from sqlalchemy import create_engine

from lessons.lesson_09_request_path import migrate
from lessons.lesson_09_request_path.models import Base
from tests.lessons.lesson_07_structure.databases import empty_database_url  # noqa: F401
from tests.lessons.lesson_07_structure.migration_checks import *  # noqa: F403
from tests.lessons.lesson_07_structure.migration_checks import table_names

ROOT = Path(__file__).resolve().parents[3]


@pytest.fixture
def lesson_migrate() -> ModuleType:
    return migrate


def test_a_migrated_sqlite_file_uses_write_ahead_logging(tmp_path: Path) -> None:
    """Set once, by the migration: the app's connections never race to switch it."""
    url = f"sqlite:///{tmp_path / 'wal.db'}"
    migrate.upgrade(url)
    engine = create_engine(url)
    with engine.connect() as connection:
        assert connection.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
    engine.dispose()


def test_the_cli_migrates_from_any_directory(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'cli.db'}"
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    result = subprocess.run(
        [sys.executable, "-m", "lessons.lesson_09_request_path", "migrate"],
        cwd=elsewhere,
        env={**os.environ, "REPAIRDESK_DATABASE_URL": url, "PYTHONPATH": str(ROOT)},
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert "Running upgrade  -> 0001" in result.stderr
    assert table_names(url) == set(Base.metadata.tables) | {"alembic_version"}
