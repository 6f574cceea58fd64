"""Tests see the settings they set up, whatever the developer's machine has configured."""

import os
from collections.abc import Callable
from typing import Any

import pytest


def isolated_settings(settings_class: Any, prefix: str) -> Callable[..., None]:
    """An autouse fixture hiding `prefix`* variables and any `.env` file from `settings_class`.

    A conftest writes `no_settings_from_the_developer = isolated_settings(Settings, PREFIX)`.
    """

    @pytest.fixture(autouse=True)
    def no_settings_from_the_developer(monkeypatch: pytest.MonkeyPatch) -> None:
        for name in [name for name in os.environ if name.startswith(prefix)]:
            monkeypatch.delenv(name)
        monkeypatch.setitem(settings_class.model_config, "env_file", None)

    return no_settings_from_the_developer
