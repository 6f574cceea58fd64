"""Lesson 07's settings: where each value comes from, and what a wrong one says."""

from pathlib import Path

import pytest

from lessons.lesson_07_structure.config import InvalidSettingsError, Settings, load_settings


def write_env_file(directory: Path, text: str) -> Path:
    path = directory / ".env"
    path.write_text(text)
    return path


def test_settings_come_from_prefixed_environment_variables(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("REPAIRDESK_DATABASE_URL", "sqlite:///from-env.db")
    monkeypatch.setenv("REPAIRDESK_API_KEYS", '{"front desk": "key-from-env"}')
    settings = load_settings(_env_file=None)
    assert settings.database_url.get_secret_value() == "sqlite:///from-env.db"
    assert settings.api_keys["front desk"].get_secret_value() == "key-from-env"


def test_unprefixed_variables_are_not_settings(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DATABASE_URL", "sqlite:///someone-elses.db")
    settings = load_settings(_env_file=None, api_keys={})
    assert settings.database_url == Settings.model_fields["database_url"].default


def test_settings_come_from_the_env_file(tmp_path: Path) -> None:
    env_file = write_env_file(
        tmp_path, 'REPAIRDESK_API_KEYS={"workshop": "key-from-file"}\nREPAIRDESK_DB_POOL_SIZE=7\n'
    )
    settings = load_settings(_env_file=env_file)
    assert settings.api_keys["workshop"].get_secret_value() == "key-from-file"
    assert settings.db_pool_size == 7


def test_environment_variables_win_over_the_env_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    env_file = write_env_file(tmp_path, "REPAIRDESK_DB_POOL_SIZE=7\n")
    monkeypatch.setenv("REPAIRDESK_DB_POOL_SIZE", "3")
    settings = load_settings(_env_file=env_file, api_keys={})
    assert settings.db_pool_size == 3


def test_a_wrong_value_names_its_variable(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("REPAIRDESK_DB_POOL_SIZE", "five")
    with pytest.raises(
        InvalidSettingsError, match=r"REPAIRDESK_DB_POOL_SIZE: Input should be a valid integer"
    ):
        load_settings(_env_file=None, api_keys={})


def test_a_value_that_is_not_json_names_its_variable(monkeypatch: pytest.MonkeyPatch) -> None:
    # A dict setting is parsed as JSON before pydantic validates anything: a different error.
    monkeypatch.setenv("REPAIRDESK_API_KEYS", "front desk=hunter2")
    with pytest.raises(
        InvalidSettingsError, match=r"REPAIRDESK_API_KEYS: not valid JSON"
    ) as raised:
        load_settings(_env_file=None)
    assert "hunter2" not in str(raised.value)


def test_a_missing_secret_names_its_variable() -> None:
    with pytest.raises(InvalidSettingsError, match=r"REPAIRDESK_API_KEYS: Field required"):
        load_settings(_env_file=None)


def test_a_misspelt_variable_in_the_env_file_is_named(tmp_path: Path) -> None:
    env_file = write_env_file(
        tmp_path, "REPAIRDESK_API_KEYS={}\nREPAIRDESK_DATABSE_URL=sqlite://\n"
    )
    with pytest.raises(
        InvalidSettingsError, match=r"REPAIRDESK_DATABSE_URL: not a setting of this app"
    ):
        load_settings(_env_file=env_file)


def test_an_unprefixed_line_in_the_env_file_is_refused_too(tmp_path: Path) -> None:
    env_file = write_env_file(tmp_path, "REPAIRDESK_API_KEYS={}\nDEBUG=1\n")
    with pytest.raises(InvalidSettingsError, match=r"DEBUG: not a setting of this app"):
        load_settings(_env_file=env_file)


def test_a_misspelt_environment_variable_is_ignored(monkeypatch: pytest.MonkeyPatch) -> None:
    # extra="forbid" judges the .env file only: the environment holds many variables that
    # are not this app's, and a misspelt one is just another of them.
    monkeypatch.setenv("REPAIRDESK_DATABSE_URL", "sqlite:///meant-this-one.db")
    settings = load_settings(_env_file=None, api_keys={})
    assert settings.database_url == Settings.model_fields["database_url"].default


def test_every_problem_is_reported_at_once(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("REPAIRDESK_DB_POOL_SIZE", "five")
    with pytest.raises(InvalidSettingsError) as raised:
        load_settings(_env_file=None)
    assert "REPAIRDESK_DB_POOL_SIZE" in str(raised.value)
    assert "REPAIRDESK_API_KEYS" in str(raised.value)


def test_an_error_message_never_shows_a_secret(tmp_path: Path) -> None:
    # A key that is a list, not a string: refused, and the message leaves the value out.
    env_file = write_env_file(tmp_path, 'REPAIRDESK_API_KEYS={"front desk": ["hunter2"]}\n')
    with pytest.raises(InvalidSettingsError, match="REPAIRDESK_API_KEYS") as raised:
        load_settings(_env_file=env_file)
    assert "hunter2" not in str(raised.value)


def test_a_secret_is_masked_when_printed_or_dumped() -> None:
    settings = load_settings(_env_file=None, api_keys={"front desk": "hunter2"})
    assert "hunter2" not in repr(settings)
    assert "hunter2" not in str(settings)
    assert "hunter2" not in settings.model_dump_json()


def test_the_database_password_is_masked_when_printed_or_dumped() -> None:
    url = "postgresql+psycopg://repairdesk:hunter2@db.internal/repairdesk"
    settings = load_settings(_env_file=None, api_keys={}, database_url=url)
    assert "hunter2" not in repr(settings)
    assert "hunter2" not in settings.model_dump_json()
    assert settings.database_url.get_secret_value() == url


@pytest.mark.parametrize("url", ["sqlite://", "sqlite:///:memory:"])
def test_an_in_memory_database_is_refused_naming_the_variable(url: str) -> None:
    with pytest.raises(InvalidSettingsError, match=r"REPAIRDESK_DATABASE_URL: .*in-memory SQLite"):
        load_settings(_env_file=None, api_keys={}, database_url=url)
