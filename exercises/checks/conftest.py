"""Fixtures every check uses: the exercise's module (the learner's, or the reference solution)
and a client for its app.

Checks are named `check_*.py` so that a plain `pytest` run over the course's tests never picks
them up; this file collects them when pytest is pointed here.
"""

from collections.abc import Iterator
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from exercises.catalog import Exercise
from exercises.loading import exercise_for_check, exercise_path, load


def pytest_collect_file(file_path: Path, parent: pytest.Collector) -> pytest.Module | None:
    # Files named on the command line are collected by pytest itself.
    if parent.session.isinitpath(file_path):
        return None
    if file_path.suffix == ".py" and file_path.name.startswith("check_"):
        return pytest.Module.from_parent(parent, path=file_path)
    return None


@pytest.fixture
def exercise(request: pytest.FixtureRequest) -> Exercise:
    return exercise_for_check(request.path)


@pytest.fixture
def module(exercise: Exercise) -> ModuleType:
    """The exercise's code, imported afresh for every test."""
    return load(exercise)


@pytest.fixture
def path(exercise: Exercise) -> Path:
    """The exercise's file or folder, for checks that read it as text."""
    return exercise_path(exercise)


@pytest.fixture
def app(module: ModuleType) -> FastAPI:
    application = getattr(module, "app", None)
    assert isinstance(application, FastAPI), "the exercise's module must still define `app`"
    return application


@pytest.fixture
def client(app: FastAPI) -> Iterator[TestClient]:
    # An exception in the learner's code reaches the check, which names it and its line:
    # more telling than the bare 500 a client would see.
    with TestClient(app) as client:
        yield client


@pytest.fixture
def valid_ticket() -> dict[str, Any]:
    """A ticket body every lesson from 02 on accepts."""
    return {
        "customer_email": "ada@example.com",
        "device_model": "Pixel 8",
        "estimated_cost": "129.99",
        "notes": "Cracked screen, still boots.",
    }
