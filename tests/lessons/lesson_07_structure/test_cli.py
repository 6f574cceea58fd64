"""Lesson 07's command line: migrations are an explicit step, configured like the app."""

from pathlib import Path
from types import ModuleType

import pytest

from lessons.lesson_07_structure import __main__
from tests.behaviours.command_line import *  # noqa: F403


@pytest.fixture
def cli() -> ModuleType:
    return __main__


@pytest.fixture
def cli_database_url(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> str:
    url = f"sqlite:///{tmp_path / 'cli.db'}"
    monkeypatch.setenv("REPAIRDESK_DATABASE_URL", url)
    monkeypatch.setenv("REPAIRDESK_API_KEYS", "{}")
    return url


def test_migrate_with_a_pool_of_five_names_the_variable_and_fails(
    cli_database_url: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("REPAIRDESK_DB_POOL_SIZE", "five")
    assert __main__.main(["migrate"]) == 2
    assert "REPAIRDESK_DB_POOL_SIZE" in capsys.readouterr().err
    assert not Path(cli_database_url.removeprefix("sqlite:///")).exists()


def test_migrate_with_api_keys_that_are_not_json_names_the_variable_and_fails(
    cli_database_url: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("REPAIRDESK_API_KEYS", "front desk=hunter2")
    assert __main__.main(["migrate"]) == 2
    error = capsys.readouterr().err
    assert "REPAIRDESK_API_KEYS: not valid JSON" in error
    assert "hunter2" not in error
    assert not Path(cli_database_url.removeprefix("sqlite:///")).exists()
