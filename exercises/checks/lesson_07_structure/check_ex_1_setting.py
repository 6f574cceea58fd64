"""Checks `max_page_size` and `support_email`: defaults, environment variables, refusals.

--8<-- [start:hint]
A setting is a field of the `BaseSettings` class, and its type and `Field(...)` do the
validating: `max_page_size: int = Field(default=100, ge=10, le=500, description="...")`.
For the address, the type `EmailStr` (from `pydantic`) refuses what is not an email address.
The `REPAIRDESK_` prefix comes with the lesson's `model_config`: you write only the name.
--8<-- [end:hint]
"""

import os
from types import ModuleType
from typing import Any

import pytest
from pydantic import ValidationError

from lessons.lesson_07_structure.config import ENV_PREFIX

NEW_SETTINGS = ["max_page_size", "support_email"]


@pytest.fixture(autouse=True)
def clean_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    """Only what each test sets: no REPAIRDESK_ variable from the machine running the check."""
    for name in os.environ:
        if name.startswith(ENV_PREFIX):
            monkeypatch.delenv(name)


def build(module: ModuleType, monkeypatch: pytest.MonkeyPatch, **environment: str) -> Any:
    for name, value in environment.items():
        monkeypatch.setenv(f"{ENV_PREFIX}{name.upper()}", value)
    # No .env file, and the one required setting given directly.
    return module.Settings(_env_file=None, api_keys={"front desk": "a-test-key"})


@pytest.fixture
def fields(module: ModuleType) -> dict[str, Any]:
    found: dict[str, Any] = module.Settings.model_fields
    for name in NEW_SETTINGS:
        assert name in found, f"Settings has no `{name}` yet"
    return found


@pytest.mark.usefixtures("fields")
def test_the_defaults(module: ModuleType, monkeypatch: pytest.MonkeyPatch) -> None:
    settings = build(module, monkeypatch)
    assert settings.max_page_size == 100, (
        f"max_page_size should default to 100, not {settings.max_page_size!r}"
    )
    assert settings.support_email == "support@repairdesk.example", (
        f"support_email should default to support@repairdesk.example: {settings.support_email!r}"
    )


@pytest.mark.usefixtures("fields")
def test_the_environment_sets_them(module: ModuleType, monkeypatch: pytest.MonkeyPatch) -> None:
    settings = build(module, monkeypatch, max_page_size="250", support_email="help@shop.example")
    assert settings.max_page_size == 250, (
        f"REPAIRDESK_MAX_PAGE_SIZE=250 should make max_page_size 250: {settings.max_page_size!r}"
    )
    assert settings.support_email == "help@shop.example", (
        "REPAIRDESK_SUPPORT_EMAIL should set support_email"
    )


@pytest.mark.usefixtures("fields")
@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("max_page_size", "9"),
        ("max_page_size", "501"),
        ("max_page_size", "many"),
        ("support_email", "support"),
    ],
)
def test_a_bad_value_stops_the_app(
    module: ModuleType, monkeypatch: pytest.MonkeyPatch, name: str, value: str
) -> None:
    variable = f"{ENV_PREFIX}{name.upper()}={value}"
    try:
        build(module, monkeypatch, **{name: value})
    except ValidationError as error:
        refused = error
    else:
        raise AssertionError(
            f"{variable} should be refused with a ValidationError; it was accepted"
        )
    locations = [error["loc"] for error in refused.errors()]
    assert (name,) in locations, f"{variable} was refused, but for another reason: {refused}"


def test_each_new_setting_is_described(fields: dict[str, Any]) -> None:
    for name in NEW_SETTINGS:
        assert fields[name].description, f"give `{name}` a description= (it documents the setting)"
