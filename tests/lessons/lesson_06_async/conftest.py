"""Lesson 06's app on an in-memory database of its own, and a client that sends an API key."""

from collections.abc import Iterator
from types import ModuleType

import pytest
from fastapi import FastAPI
from sqlalchemy import Engine

from lessons.lesson_06_async import app as lesson
from lessons.lesson_06_async import dependencies as lesson_dependencies
from lessons.lesson_06_async.db import Database, SessionDep
from lessons.lesson_06_async.models import Ticket
from tests.support.api_key_client import client
from tests.support.database import database_engine, transaction_fixtures

__all__ = ["client", "database_engine"]  # fixtures, imported so that pytest finds them here


@pytest.fixture
def app(database_engine: Engine) -> Iterator[FastAPI]:
    # The lifespan creates the tables in whatever database the app holds: swap it before
    # any client starts the app. Overriding `get_db` alone would leave the lifespan on the file.
    learners_database = lesson.app.state.database
    lesson.app.state.database = Database(database_engine)
    yield lesson.app
    lesson.app.state.database = learners_database
    lesson.app.dependency_overrides.clear()  # an override must never leak into the next test


@pytest.fixture
def dependencies() -> ModuleType:
    """The lesson's dependencies, for the shared tests that override or count them."""
    return lesson_dependencies


session_dependency, ticket_row = transaction_fixtures(SessionDep, Ticket)
