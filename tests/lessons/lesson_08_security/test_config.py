"""Lesson 08's new settings: the key that signs tokens, how long a token lives, the first admin."""

import pytest

from lessons.lesson_08_security.config import (
    DEVELOPMENT_SECRET_KEY,
    InvalidSettingsError,
    load_settings,
)


def test_without_a_secret_key_a_laptop_uses_the_development_one() -> None:
    settings = load_settings(_env_file=None)
    assert settings.secret_key.get_secret_value() == DEVELOPMENT_SECRET_KEY


def test_production_refuses_the_development_secret_key_naming_it(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("REPAIRDESK_PRODUCTION", "1")
    with pytest.raises(
        InvalidSettingsError, match="REPAIRDESK_PRODUCTION is set: REPAIRDESK_SECRET_KEY must be"
    ):
        load_settings(_env_file=None)


def test_production_accepts_a_secret_key_of_its_own(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("REPAIRDESK_PRODUCTION", "1")
    monkeypatch.setenv("REPAIRDESK_SECRET_KEY", "k" * 48)
    assert load_settings(_env_file=None).production


def test_a_short_secret_key_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("REPAIRDESK_SECRET_KEY", "secret")
    with pytest.raises(InvalidSettingsError, match=r"REPAIRDESK_SECRET_KEY: .* at least 32"):
        load_settings(_env_file=None)


def test_a_refused_secret_key_is_not_shown(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("REPAIRDESK_SECRET_KEY", "hunter2")
    with pytest.raises(InvalidSettingsError, match="REPAIRDESK_SECRET_KEY") as raised:
        load_settings(_env_file=None)
    assert "hunter2" not in str(raised.value)


def test_a_token_lifetime_over_a_day_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("REPAIRDESK_ACCESS_TOKEN_MINUTES", "10000")
    with pytest.raises(InvalidSettingsError, match="REPAIRDESK_ACCESS_TOKEN_MINUTES"):
        load_settings(_env_file=None, secret_key="k" * 32)


def test_the_secret_key_is_masked_when_printed() -> None:
    settings = load_settings(_env_file=None, secret_key="s3cr3t" * 6)
    assert "s3cr3t" not in repr(settings)


def test_the_database_password_is_masked_when_printed() -> None:
    url = "postgresql+psycopg://repairdesk:hunter2@db.internal/repairdesk"
    settings = load_settings(_env_file=None, secret_key="k" * 32, database_url=url)
    assert "hunter2" not in repr(settings)
    assert "hunter2" not in settings.model_dump_json()
    assert settings.database_url.get_secret_value() == url


@pytest.mark.parametrize("name", ["PASSWORD_THREADS", "LOGIN_ATTEMPTS", "LOGIN_WINDOW_SECONDS"])
def test_password_and_throttle_settings_below_one_are_refused(
    monkeypatch: pytest.MonkeyPatch, name: str
) -> None:
    # No password check at all, or a throttle that refuses every login, would be a broken app.
    monkeypatch.setenv(f"REPAIRDESK_{name}", "0")
    with pytest.raises(InvalidSettingsError, match=f"REPAIRDESK_{name}"):
        load_settings(_env_file=None, secret_key="k" * 32)


def test_an_admin_needs_both_an_email_and_a_password(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("REPAIRDESK_ADMIN_EMAIL", "admin@example.com")
    with pytest.raises(InvalidSettingsError, match="together, or neither"):
        load_settings(_env_file=None)
