import pytest
from fastapi import FastAPI

from lessons.lesson_01_routing.app import app as lesson_app


@pytest.fixture
def app() -> FastAPI:
    return lesson_app
