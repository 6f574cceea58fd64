"""Lesson 08's command line: lesson 07's `migrate` and `revision`, settings checked first."""

from pathlib import Path
from types import ModuleType

import pytest

from lessons.lesson_08_security import __main__
from tests.behaviours.command_line import *  # noqa: F403


@pytest.fixture
def cli() -> ModuleType:
    return __main__


@pytest.fixture
def cli_database_url(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> str:
    url = f"sqlite:///{tmp_path / 'cli.db'}"
    monkeypatch.setenv("REPAIRDESK_DATABASE_URL", url)
    return url
