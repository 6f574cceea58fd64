"""Lesson 07's app factory and lifespan: each app owns its settings and its engine."""

import importlib
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from pydantic import SecretStr
from sqlalchemy import Engine, event

from lessons.lesson_07_structure.config import Settings
from lessons.lesson_07_structure.main import create_app
from lessons.lesson_07_structure.migrate import DatabaseNotMigratedError
from tests.behaviours.api_keys import FRONT_DESK_KEY


def test_the_health_check_answers(client: TestClient) -> None:
    response = client.get("/health")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}


def test_the_engine_is_disposed_when_the_app_shuts_down(settings: Settings) -> None:
    disposed: list[Engine] = []
    app = create_app(settings)
    with TestClient(app):
        engine: Engine = app.state.database.engine
        event.listen(engine, "engine_disposed", disposed.append)
        assert disposed == []
    assert disposed == [engine]


def test_the_engine_takes_its_pool_size_from_the_settings(settings: Settings) -> None:
    app = create_app(settings.model_copy(update={"db_pool_size": 3}))
    with TestClient(app):
        assert app.state.database.engine.pool.size() == 3


def test_each_app_uses_the_database_its_settings_name(
    settings: Settings, tmp_path: Path, valid_ticket: dict[str, Any]
) -> None:
    other_database = tmp_path / "other.db"
    database = Path(settings.database_url.get_secret_value().removeprefix("sqlite:///"))
    other_database.write_bytes(database.read_bytes())
    other = settings.model_copy(update={"database_url": SecretStr(f"sqlite:///{other_database}")})
    headers = {"X-API-Key": FRONT_DESK_KEY}
    with TestClient(create_app(settings), headers=headers) as first:
        first.post("/tickets", json=valid_ticket)
        with TestClient(create_app(other), headers=headers) as second:
            assert second.get("/tickets").json()["items"] == []
        assert first.get("/tickets").json()["total"] == 1


def test_an_unmigrated_database_stops_the_app_naming_the_command(
    settings: Settings, tmp_path: Path
) -> None:
    empty_url = SecretStr(f"sqlite:///{tmp_path / 'empty.db'}")
    empty = settings.model_copy(update={"database_url": empty_url})
    with (
        pytest.raises(
            DatabaseNotMigratedError, match=r"python -m lessons.lesson_07_structure migrate"
        ),
        TestClient(create_app(empty)),
    ):
        pass


def test_a_key_missing_from_the_settings_is_refused(settings: Settings) -> None:
    only_workshop = settings.model_copy(update={"api_keys": {"workshop": SecretStr("w-key")}})
    with TestClient(create_app(only_workshop)) as client:
        response = client.get("/tickets", headers={"X-API-Key": FRONT_DESK_KEY})
    assert response.status_code == 401


def test_the_server_module_builds_its_app_from_the_environment(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("REPAIRDESK_DATABASE_URL", f"sqlite:///{tmp_path / 'served.db'}")
    monkeypatch.setenv("REPAIRDESK_API_KEYS", '{"front desk": "served-key"}')
    module = importlib.import_module("lessons.lesson_07_structure.app")
    module = importlib.reload(module)
    assert module.app.title == "RepairDesk"
