from collections.abc import Iterator

import pytest
from fastapi import FastAPI

from lessons.lesson_02_validation import app as lesson


@pytest.fixture
def app() -> Iterator[FastAPI]:
    yield lesson.app
    lesson.TICKETS.clear()  # the in-memory store outlives a test; empty it
