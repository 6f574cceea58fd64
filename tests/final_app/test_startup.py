"""Start-up: the admin from the environment, and clear failures when something is missing."""

from __future__ import annotations

from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from pydantic import SecretStr

from final_app.config import Settings
from final_app.main import create_app
from tests.final_app.conftest import TEST_SECRET_KEY

ADMIN = {"username": "boss@example.com", "password": "boss-password"}


def settings_with_admin(database_url: str) -> Settings:
    return Settings(
        database_url=database_url,
        secret_key=TEST_SECRET_KEY,
        admin_email="Boss@Example.com",
        admin_password=SecretStr(ADMIN["password"]),
    )


def test_startup_creates_the_admin_from_the_environment(database_url: str) -> None:
    with TestClient(create_app(settings_with_admin(database_url))) as client:
        token = client.post("/api/v1/auth/token", data=ADMIN).json()["access_token"]
        me = client.get("/api/v1/users/me", headers={"Authorization": f"Bearer {token}"})
    assert me.json()["role"] == "admin"
    assert me.json()["email"] == "boss@example.com"


def test_restarting_keeps_the_existing_admin(database_url: str) -> None:
    with TestClient(create_app(settings_with_admin(database_url))) as client:
        first = client.post("/api/v1/auth/token", data=ADMIN)
    settings = settings_with_admin(database_url)
    settings.admin_password = SecretStr("another-password")
    with TestClient(create_app(settings)) as client:
        again = client.post("/api/v1/auth/token", data=ADMIN)
    assert first.status_code == again.status_code == 200


def test_startup_says_to_migrate_when_the_tables_are_missing(tmp_path: Path) -> None:
    app = create_app(settings_with_admin(f"sqlite:///{tmp_path / 'empty.db'}"))
    with pytest.raises(RuntimeError, match="python -m final_app migrate"), TestClient(app):
        pass


def test_startup_warns_about_the_development_secret(
    database_url: str, caplog: pytest.LogCaptureFixture
) -> None:
    with TestClient(create_app(Settings(database_url=database_url))):
        pass
    assert "REPAIRDESK_SECRET_KEY is not set" in caplog.text
