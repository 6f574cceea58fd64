"""Settings: environment variables with the REPAIRDESK_ prefix, and safe production rules."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from final_app.config import DEVELOPMENT_SECRET_KEY, Settings


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
    with pytest.raises(ValidationError, match="REPAIRDESK_SECRET_KEY must be set"):
        Settings()


def test_production_refuses_a_short_secret() -> None:
    with pytest.raises(ValidationError, match="at least 32 characters"):
        Settings(production=True, secret_key="short")


def test_production_accepts_a_long_random_secret() -> None:
    settings = Settings(production=True, secret_key="x" * 48)
    assert not settings.uses_development_secret


def test_the_secret_never_shows_in_the_settings_repr() -> None:
    assert DEVELOPMENT_SECRET_KEY not in repr(Settings(secret_key=DEVELOPMENT_SECRET_KEY))


def test_a_bad_value_fails_at_startup(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("REPAIRDESK_ACCESS_TOKEN_MINUTES", "zero")
    with pytest.raises(ValidationError, match="access_token_minutes"):
        Settings()


def test_the_database_needs_at_least_one_thread(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("REPAIRDESK_DB_THREADS", "0")
    with pytest.raises(ValidationError, match="db_threads"):
        Settings()


def test_a_refused_setting_never_shows_its_value(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("REPAIRDESK_PRODUCTION", "true")
    monkeypatch.setenv("REPAIRDESK_SECRET_KEY", "too-short-but-real")
    monkeypatch.setenv("REPAIRDESK_ADMIN_EMAIL", "admin@example.com")
    monkeypatch.setenv("REPAIRDESK_ADMIN_PASSWORD", "hunter2hunter2")
    with pytest.raises(ValidationError) as refused:
        Settings()
    assert "REPAIRDESK_SECRET_KEY must be set" in str(refused.value)
    assert "too-short-but-real" not in str(refused.value)
    assert "hunter2hunter2" not in str(refused.value)


def test_an_admin_needs_both_an_email_and_a_password(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("REPAIRDESK_ADMIN_EMAIL", "admin@example.com")
    with pytest.raises(ValidationError, match="together, or neither"):
        Settings()
