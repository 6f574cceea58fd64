"""The command line every app keeps from lesson 07: `migrate`, `revision`, settings checked first.

A test module imports these tests and provides two fixtures: `cli`, the app's `__main__`
module, and `cli_database_url`, a SQLite file's URL that the fixture has also put in the
environment as REPAIRDESK_DATABASE_URL (with any other setting the app requires).
"""

from __future__ import annotations

import shutil
from importlib import import_module
from pathlib import Path
from types import ModuleType

import pytest
from alembic.script import ScriptDirectory

from tests.support.database import current_revision


def migrations_of(cli: ModuleType) -> ModuleType:
    return import_module(f"{cli.__package__}.migrate")


def config_of(cli: ModuleType) -> ModuleType:
    return import_module(f"{cli.__package__}.config")


def test_migrate_brings_the_database_to_the_latest_revision(
    cli: ModuleType, cli_database_url: str
) -> None:
    assert cli.main(["migrate"]) == 0
    head = ScriptDirectory(str(migrations_of(cli).MIGRATIONS_DIR)).get_current_head()
    assert current_revision(cli_database_url) == head


def test_migrate_revision_stops_at_the_revision_named(
    cli: ModuleType, cli_database_url: str
) -> None:
    assert cli.main(["migrate", "--revision", "0001"]) == 0
    assert current_revision(cli_database_url) == "0001"


def test_a_wrong_setting_is_named_its_value_is_not_and_nothing_runs(
    cli: ModuleType,
    cli_database_url: str,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.setenv("REPAIRDESK_DATABASE_URL", "sqlite:///:memory:")
    assert cli.main(["migrate"]) == 2
    error = capsys.readouterr().err
    assert "REPAIRDESK_DATABASE_URL: " in error
    assert ":memory:" not in error
    assert current_revision(cli_database_url) is None


def test_revision_writes_the_next_numbered_migration(
    cli: ModuleType, cli_database_url: str, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    # On a copy of the scripts: the test leaves the app's own migrations as they are.
    migrate = migrations_of(cli)
    scripts = tmp_path / "migrations"
    shutil.copytree(migrate.MIGRATIONS_DIR, scripts, ignore=shutil.ignore_patterns("__pycache__"))
    monkeypatch.setattr(migrate, "MIGRATIONS_DIR", scripts)
    head = ScriptDirectory(str(scripts)).get_current_head()
    assert head is not None
    assert cli.main(["migrate"]) == 0

    assert cli.main(["revision", "-m", "add ticket priority"]) == 0

    following = f"{int(head) + 1:04d}"
    assert ScriptDirectory(str(scripts)).get_current_head() == following
    assert (scripts / "versions" / f"{following}_add_ticket_priority.py").is_file()


def test_a_command_is_required(cli: ModuleType, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_info:
        cli.main([])
    assert exit_info.value.code == 2
    assert "migrate" in capsys.readouterr().err


def test_the_example_env_file_is_a_valid_configuration(cli: ModuleType) -> None:
    # What `nox -s serve -- NN` copies to `.env` before it runs `migrate`.
    config = config_of(cli)
    settings = config.load_settings(_env_file=config.ENV_FILE.with_name(".env.example"))
    default = config.Settings.model_fields["database_url"].default
    assert settings.database_url == default
