"""Start-up: the first admin comes from the environment, once; what the app logs meanwhile
(`tests/behaviours/start_up_logs.py`)."""

from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from pydantic import SecretStr

from lessons.lesson_08_security.config import Settings
from lessons.lesson_08_security.main import create_app
from lessons.lesson_08_security.migrate import DatabaseNotMigratedError
from tests.behaviours.start_up_logs import *  # noqa: F403
from tests.lessons.lesson_08_security.conftest import SECRET_KEY, bearer

BOSS = {"username": "boss@example.com", "password": "boss-password"}


def with_admin(settings: Settings, password: str = BOSS["password"]) -> Settings:
    admin = {"admin_email": "Boss@Example.com", "admin_password": SecretStr(password)}
    return settings.model_copy(update=admin)


def test_startup_creates_the_admin_from_the_environment(settings: Settings) -> None:
    with TestClient(create_app(with_admin(settings))) as client:
        token = client.post("/auth/token", data=BOSS).json()["access_token"]
        me = client.get("/users/me", headers=bearer(token)).json()
    assert (me["email"], me["role"]) == ("boss@example.com", "admin")


def test_restarting_keeps_the_existing_admin_and_password(settings: Settings) -> None:
    with TestClient(create_app(with_admin(settings))):
        pass
    with TestClient(create_app(with_admin(settings, "another-password"))) as client:
        assert client.post("/auth/token", data=BOSS).status_code == 200


def test_an_unmigrated_database_stops_the_start_naming_the_command(tmp_path: Path) -> None:
    settings = Settings(
        _env_file=None, database_url=f"sqlite:///{tmp_path / 'empty.db'}", secret_key=SECRET_KEY
    )
    app = create_app(with_admin(settings))
    with pytest.raises(DatabaseNotMigratedError, match="migrate"), TestClient(app):
        pass
