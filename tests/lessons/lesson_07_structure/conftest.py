"""Lesson 07's fixtures: every test gets its own app, built by the factory, on its own database.

The database is a copy of one migrated once per test run: each test starts from exactly the
schema the migrations make, in a few milliseconds.
"""

import shutil
from pathlib import Path
from types import ModuleType

import pytest
from fastapi import FastAPI

from lessons.lesson_07_structure.api import tickets
from lessons.lesson_07_structure.config import ENV_PREFIX, Settings
from lessons.lesson_07_structure.db import SessionDep
from lessons.lesson_07_structure.main import create_app
from lessons.lesson_07_structure.migrate import upgrade
from lessons.lesson_07_structure.models import Ticket
from tests.behaviours.api_keys import FRONT_DESK_KEY, WORKSHOP_KEY
from tests.support.api_key_client import client
from tests.support.api_v1 import listed_tickets  # a list is a page, from lesson 05 on
from tests.support.database import app_database_engine, transaction_fixtures
from tests.support.settings import isolated_settings

# Fixtures, imported so that pytest finds them.
__all__ = ["app_database_engine", "client", "listed_tickets"]

API_KEYS = {"front desk": FRONT_DESK_KEY, "workshop": WORKSHOP_KEY}


no_settings_from_the_developer = isolated_settings(Settings, ENV_PREFIX)


@pytest.fixture(scope="session")
def migrated_database(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("lesson_07") / "migrated.db"
    upgrade(f"sqlite:///{path}")
    return path


@pytest.fixture
def settings(migrated_database: Path, tmp_path: Path) -> Settings:
    database = shutil.copy(migrated_database, tmp_path / "repairdesk.db")
    return Settings(_env_file=None, database_url=f"sqlite:///{database}", api_keys=API_KEYS)


@pytest.fixture
def app(settings: Settings) -> FastAPI:
    return create_app(settings)


session_dependency, ticket_row = transaction_fixtures(SessionDep, Ticket)


@pytest.fixture
def ticket_routes() -> ModuleType:
    """The module of the ticket routes, for the shared tests that race them."""
    return tickets
