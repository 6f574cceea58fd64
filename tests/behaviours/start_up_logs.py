"""What an app says when it starts, from lesson 08 on: the public development key named, and
only the lines `REPAIRDESK_LOG_LEVEL` lets through.

A test module imports these tests and provides `settings`, the app's `Settings` for a usable
database; the app's package (its `config` and `main` modules) is found from their class.
"""

from __future__ import annotations

import logging
from importlib import import_module
from types import ModuleType
from typing import Any

import pytest
from fastapi.testclient import TestClient
from pydantic import SecretStr

WARNING = "REPAIRDESK_SECRET_KEY is not set"


def package_of(settings: Any) -> str:
    return type(settings).__module__.rpartition(".")[0]


def module_of(settings: Any, name: str) -> ModuleType:
    return import_module(f"{package_of(settings)}.{name}")


def started(settings: Any) -> None:
    """Build the app from `settings` and run its lifespan, as a server would."""
    with TestClient(module_of(settings, "main").create_app(settings)):
        pass


def warnings_about_the_key(caplog: pytest.LogCaptureFixture) -> list[logging.LogRecord]:
    return [r for r in caplog.records if WARNING in r.getMessage() and r.levelno == logging.WARNING]


def test_the_public_development_key_is_named_at_start_up(
    settings: Any, caplog: pytest.LogCaptureFixture
) -> None:
    development_key = module_of(settings, "config").DEVELOPMENT_SECRET_KEY
    started(settings.model_copy(update={"secret_key": SecretStr(development_key)}))
    assert warnings_about_the_key(caplog), "no warning that anyone can forge the tokens"


def test_a_key_of_its_own_starts_without_the_warning(
    settings: Any, caplog: pytest.LogCaptureFixture
) -> None:
    started(settings)
    assert not warnings_about_the_key(caplog)


@pytest.mark.parametrize(("level", "info_written"), [("INFO", True), ("WARNING", False)])
def test_the_log_level_decides_which_of_the_apps_lines_are_written(
    settings: Any, level: str, info_written: bool
) -> None:
    logger = logging.getLogger(package_of(settings))
    before = logger.level
    try:
        module_of(settings, "main").create_app(settings.model_copy(update={"log_level": level}))
        assert logger.isEnabledFor(logging.INFO) is info_written
        assert logger.isEnabledFor(logging.WARNING)
    finally:
        logger.setLevel(before)  # the logger outlives the app: leave it as the next test expects
