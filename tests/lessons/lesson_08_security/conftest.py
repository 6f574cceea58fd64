"""Lesson 08's fixtures: an app from the factory, two users, and clients holding their tokens.

The users are created once per test run in the migrated database every test copies, and
tests that are not about logging in get their tokens minted directly, the way the token
endpoint would. Every app hashes a dummy password at start-up, and at OWASP's cost (19 MiB, 2
passes) that is 30 ms per test: `cheap_password_hashing` swaps in Argon2id's smallest cost, the
same code path. test_passwords.py, which is about the real cost, turns it off.
"""

import shutil
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import create_engine
from sqlalchemy.orm import Session

from lessons.lesson_08_security import security
from lessons.lesson_08_security.api import tickets
from lessons.lesson_08_security.config import ENV_PREFIX, Settings
from lessons.lesson_08_security.db import SessionDep
from lessons.lesson_08_security.main import create_app
from lessons.lesson_08_security.migrate import upgrade
from lessons.lesson_08_security.models import Role, Ticket
from lessons.lesson_08_security.schemas import UserCreate
from lessons.lesson_08_security.security import Principal, create_access_token
from lessons.lesson_08_security.users import create_user
from tests.support.api_v1 import listed_tickets  # a list is a page, from lesson 05 on
from tests.support.database import app_database_engine, transaction_fixtures
from tests.support.passwords import CHEAP_PASSWORD_HASH
from tests.support.settings import isolated_settings

# Fixtures, imported so that pytest finds them.
__all__ = ["app_database_engine", "listed_tickets"]

SECRET_KEY = "test-secret-key-long-enough-for-hs256-and-for-the-hs512-test-too"
ADMIN, ADMIN_PASSWORD, ADMIN_ID = "ada@repairdesk.example", "correct horse battery staple", 1
TECHNICIAN, TECHNICIAN_PASSWORD, TECHNICIAN_ID = "tom@repairdesk.example", "tom's long password", 2


no_settings_from_the_developer = isolated_settings(Settings, ENV_PREFIX)


@pytest.fixture(autouse=True)
def cheap_password_hashing(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(security, "_hasher", CHEAP_PASSWORD_HASH)


@pytest.fixture(scope="session")
def migrated_database(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("lesson_08") / "migrated.db"
    upgrade(f"sqlite:///{path}")
    engine = create_engine(f"sqlite:///{path}")
    # Hashed at the cheap cost whichever test comes first, so every test starts alike.
    with pytest.MonkeyPatch.context() as patch, Session(engine) as db, db.begin():
        patch.setattr(security, "_hasher", CHEAP_PASSWORD_HASH)
        for email, password, role, user_id in [
            (ADMIN, ADMIN_PASSWORD, Role.ADMIN, ADMIN_ID),
            (TECHNICIAN, TECHNICIAN_PASSWORD, Role.TECHNICIAN, TECHNICIAN_ID),
        ]:
            data = UserCreate(email=email, password=password, role=role)
            assert create_user(db, data, security.hash_password(password)).id == user_id
    engine.dispose()
    return path


@pytest.fixture
def settings(migrated_database: Path, tmp_path: Path) -> Settings:
    database = shutil.copy(migrated_database, tmp_path / "repairdesk.db")
    return Settings(_env_file=None, database_url=f"sqlite:///{database}", secret_key=SECRET_KEY)


@pytest.fixture
def app(settings: Settings) -> FastAPI:
    return create_app(settings)


def token_for(
    user_id: int, lifetime: timedelta = timedelta(minutes=5), role: Role | None = None
) -> str:
    """A token as the token endpoint would issue it; the role is the one the user signed in with."""
    role = role or (Role.ADMIN if user_id == ADMIN_ID else Role.TECHNICIAN)
    principal = Principal(user_id=user_id, role=role)
    return create_access_token(principal, secret_key=SECRET_KEY, lifetime=lifetime)


def change_users(settings: Settings, statement: Any) -> None:
    """Change the users table behind the app's back, as an admin at a console would."""
    engine = create_engine(settings.database_url.get_secret_value())
    with Session(engine) as session, session.begin():
        session.execute(statement)
    engine.dispose()


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


@pytest.fixture
def client(app: FastAPI) -> Iterator[TestClient]:
    """An admin's client, so the shared behaviour tests (deleting included) run unchanged."""
    with TestClient(app, headers=bearer(token_for(ADMIN_ID))) as client:
        yield client


@pytest.fixture
def technician_client(app: FastAPI) -> Iterator[TestClient]:
    with TestClient(app, headers=bearer(token_for(TECHNICIAN_ID))) as client:
        yield client


session_dependency, ticket_row = transaction_fixtures(SessionDep, Ticket)


# What the shared accounts behaviours (tests/behaviours/accounts.py) ask each lesson.
@pytest.fixture
def users_path() -> str:
    return "/users"


@pytest.fixture
def token_path() -> str:
    return "/auth/token"


@pytest.fixture
def admin() -> Principal:
    return Principal(user_id=ADMIN_ID, role=Role.ADMIN)


@pytest.fixture
def technician() -> Principal:
    return Principal(user_id=TECHNICIAN_ID, role=Role.TECHNICIAN)


@pytest.fixture
def admin_headers() -> dict[str, str]:
    return bearer(token_for(ADMIN_ID))


@pytest.fixture
def tech_headers() -> dict[str, str]:
    return bearer(token_for(TECHNICIAN_ID))


@pytest.fixture
def technician_form() -> dict[str, str]:
    return {"username": TECHNICIAN, "password": TECHNICIAN_PASSWORD}


@pytest.fixture
def ticket_routes() -> ModuleType:
    """The module of the ticket routes, for the shared tests that race them."""
    return tickets
