from collections.abc import Iterator
from types import ModuleType

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from lessons.lesson_04_dependencies import app as lesson
from lessons.lesson_04_dependencies import dependencies as lesson_dependencies
from tests.behaviours.api_keys import FRONT_DESK_KEY


@pytest.fixture
def app() -> Iterator[FastAPI]:
    yield lesson.app
    lesson.app.dependency_overrides.clear()  # an override must never leak into the next test
    lesson.TICKETS.clear()  # the in-memory store outlives a test; empty it


@pytest.fixture
def client(app: FastAPI) -> Iterator[TestClient]:
    """Every ticket route needs an API key from this lesson on: send the front desk's."""
    with TestClient(app, headers={"X-API-Key": FRONT_DESK_KEY}) as client:
        yield client


@pytest.fixture
def dependencies() -> ModuleType:
    """The lesson's dependencies, for the shared tests that override or count them."""
    return lesson_dependencies
