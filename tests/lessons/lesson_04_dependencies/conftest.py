from collections.abc import Iterator
from types import ModuleType

import pytest
from fastapi import FastAPI

from lessons.lesson_04_dependencies import app as lesson
from lessons.lesson_04_dependencies import dependencies as lesson_dependencies
from tests.support.api_key_client import client

__all__ = ["client"]  # a fixture, imported so that pytest finds it here


@pytest.fixture
def app() -> Iterator[FastAPI]:
    yield lesson.app
    lesson.app.dependency_overrides.clear()  # an override must never leak into the next test
    lesson.TICKETS.clear()  # the in-memory store outlives a test; empty it


@pytest.fixture
def dependencies() -> ModuleType:
    """The lesson's dependencies, for the shared tests that override or count them."""
    return lesson_dependencies
