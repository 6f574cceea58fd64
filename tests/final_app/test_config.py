"""Settings: environment variables with the REPAIRDESK_ prefix, and safe production rules."""

from __future__ import annotations

from pathlib import Path

import pytest
from pydantic import ValidationError

from final_app.config import DEVELOPMENT_SECRET_KEY, InvalidSettingsError, Settings, load_settings


def test_defaults_need_no_setup() -> None:
    settings = Settings()
    assert settings.database_url.get_secret_value() == "sqlite:///./repairdesk.db"
    assert settings.uses_development_secret


def test_settings_read_prefixed_environment_variables(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("REPAIRDESK_DATABASE_URL", "postgresql+psycopg://db/repairdesk")
    monkeypatch.setenv("REPAIRDESK_ACCESS_TOKEN_MINUTES", "5")
    settings = Settings()
    assert settings.database_url.get_secret_value() == "postgresql+psycopg://db/repairdesk"
    assert settings.access_token_minutes == 5


def test_the_database_password_is_never_printed(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("REPAIRDESK_DATABASE_URL", "postgresql+psycopg://app:hunter2@db/repairdesk")
    settings = Settings()
    assert "hunter2" not in repr(settings)
    assert "hunter2" not in settings.model_dump_json()


def test_production_refuses_the_development_secret(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("REPAIRDESK_PRODUCTION", "true")
    with pytest.raises(InvalidSettingsError, match="REPAIRDESK_SECRET_KEY must be set"):
        load_settings()


def test_a_short_secret_is_refused_naming_it() -> None:
    with pytest.raises(InvalidSettingsError, match=r"REPAIRDESK_SECRET_KEY: .*at least 32"):
        load_settings(secret_key="short")


def test_production_accepts_a_long_random_secret() -> None:
    settings = Settings(production=True, secret_key="x" * 48)
    assert not settings.uses_development_secret


def test_the_secret_never_shows_in_the_settings_repr() -> None:
    assert DEVELOPMENT_SECRET_KEY not in repr(Settings(secret_key=DEVELOPMENT_SECRET_KEY))


def test_a_bad_value_is_refused_naming_its_variable(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("REPAIRDESK_ACCESS_TOKEN_MINUTES", "zero")
    with pytest.raises(InvalidSettingsError, match="REPAIRDESK_ACCESS_TOKEN_MINUTES: "):
        load_settings()


def test_the_database_needs_at_least_one_thread(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("REPAIRDESK_DB_THREADS", "0")
    with pytest.raises(InvalidSettingsError, match="REPAIRDESK_DB_THREADS: "):
        load_settings()


def test_settings_built_directly_never_show_a_value_either() -> None:
    with pytest.raises(ValidationError) as refused:
        Settings(secret_key="too-short-but-real")
    assert "too-short-but-real" not in str(refused.value)


def test_a_misspelt_name_in_the_env_file_is_named(tmp_path: Path) -> None:
    env_file = tmp_path / ".env"
    env_file.write_text("REPAIRDESK_SECRET_KEYS=" + "k" * 48 + "\n")
    with pytest.raises(InvalidSettingsError, match="REPAIRDESK_SECRET_KEYS: not a setting"):
        load_settings(_env_file=env_file)


def test_a_refused_setting_never_shows_its_value(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("REPAIRDESK_PRODUCTION", "true")
    monkeypatch.setenv("REPAIRDESK_SECRET_KEY", "too-short-but-real")
    monkeypatch.setenv("REPAIRDESK_ADMIN_EMAIL", "admin@example.com")
    monkeypatch.setenv("REPAIRDESK_ADMIN_PASSWORD", "hunter2hunter2")
    with pytest.raises(InvalidSettingsError) as refused:
        load_settings()
    assert "REPAIRDESK_SECRET_KEY: " in str(refused.value)
    assert "too-short-but-real" not in str(refused.value)
    assert "hunter2hunter2" not in str(refused.value)


def test_an_admin_needs_both_an_email_and_a_password(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("REPAIRDESK_ADMIN_EMAIL", "admin@example.com")
    with pytest.raises(InvalidSettingsError, match="together, or neither"):
        load_settings()
