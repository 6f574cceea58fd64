"""Lesson 08's migrations (tickets, then users), on SQLite and (when configured) PostgreSQL."""

from types import ModuleType

import pytest

from lessons.lesson_08_security import migrate
from tests.lessons.lesson_07_structure.databases import empty_database_url  # noqa: F401
from tests.lessons.lesson_07_structure.migration_checks import *  # noqa: F403


@pytest.fixture
def lesson_migrate() -> ModuleType:
    return migrate
