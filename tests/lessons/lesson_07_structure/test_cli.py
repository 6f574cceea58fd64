"""Lesson 07's command line: migrations are an explicit step, configured like the app."""

from pathlib import Path

import pytest
from sqlalchemy import create_engine, inspect

from lessons.lesson_07_structure.__main__ import main


@pytest.fixture
def database_path(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Path:
    path = tmp_path / "cli.db"
    monkeypatch.setenv("REPAIRDESK_DATABASE_URL", f"sqlite:///{path}")
    monkeypatch.setenv("REPAIRDESK_API_KEYS", "{}")
    return path


def test_migrate_creates_the_tables_in_the_configured_database(database_path: Path) -> None:
    assert main(["migrate"]) == 0
    engine = create_engine(f"sqlite:///{database_path}")
    assert "tickets" in inspect(engine).get_table_names()
    engine.dispose()


def test_migrate_with_wrong_settings_names_the_variable_and_fails(
    database_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("REPAIRDESK_DB_POOL_SIZE", "five")
    assert main(["migrate"]) == 2
    assert "REPAIRDESK_DB_POOL_SIZE" in capsys.readouterr().err
    assert not database_path.exists()


def test_migrate_with_api_keys_that_are_not_json_names_the_variable_and_fails(
    database_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("REPAIRDESK_API_KEYS", "front desk=hunter2")
    assert main(["migrate"]) == 2
    error = capsys.readouterr().err
    assert "REPAIRDESK_API_KEYS: not valid JSON" in error
    assert "hunter2" not in error
    assert not database_path.exists()


def test_a_command_is_required(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_info:
        main([])
    assert exit_info.value.code == 2
    assert "migrate" in capsys.readouterr().err
