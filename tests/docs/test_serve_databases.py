"""Lesson after lesson, the pages serve each app from the same folder: none may find another's
database there. Each migrates its file to its own latest revision, and a file an app from a
later lesson already migrated further stops it ("Can't locate revision").
"""

from __future__ import annotations

import importlib
from collections import Counter

from pydantic import SecretStr
from sqlalchemy import make_url

from docsgen import LESSONS

# Where each app that keeps data names its default database: its settings from lesson 07 on,
# a constant in db.py before that.
APPS_WITH_A_DATABASE = [
    *sorted(f"lessons.{p.name}" for p in LESSONS.glob("lesson_[0-9][0-9]_*") if p.is_dir()),
    "final_app",
]


def default_database_url(package: str) -> str | None:
    try:
        config = importlib.import_module(f"{package}.config")
    except ModuleNotFoundError:
        try:
            return str(importlib.import_module(f"{package}.db").DATABASE_URL)
        except (ModuleNotFoundError, AttributeError):
            return None  # no database yet (lessons 01-04), or another app's (lesson 10)
    default = config.Settings.model_fields["database_url"].default
    return default.get_secret_value() if isinstance(default, SecretStr) else str(default)


def test_every_app_serves_from_a_database_file_of_its_own() -> None:
    files = {
        package: make_url(url).database
        for package in APPS_WITH_A_DATABASE
        if (url := default_database_url(package)) is not None
    }
    assert len(files) >= 7, files  # lessons 05-09, 11 and the final app
    shared = {name for name, count in Counter(files.values()).items() if count > 1}
    assert not shared, {package: name for package, name in files.items() if name in shared}
