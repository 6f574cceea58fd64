"""Lesson 04 on its own: what the page says about `use_cache=False` and override keys."""

from collections.abc import Callable
from typing import Annotated, Any

import pytest
from fastapi import Depends, FastAPI
from fastapi.testclient import TestClient

from lessons.lesson_04_dependencies.dependencies import Caller, CallerDep, get_caller

# `CallerDep`, but resolved again wherever it is named, even twice in one request.
FreshCallerDep = Annotated[Caller, Depends(get_caller, use_cache=False)]


@pytest.fixture
def caller_calls(app: FastAPI) -> list[str]:
    """Replace `get_caller` with a fake that counts its calls."""
    calls: list[str] = []

    def counting_caller() -> Caller:
        calls.append("called")
        return Caller(name="counted")

    app.dependency_overrides[get_caller] = counting_caller
    return calls


def test_use_cache_false_runs_the_dependency_each_time_it_is_named(
    client: TestClient, test_route: Callable[..., str], caller_calls: list[str]
) -> None:
    def needs_the_caller_twice(first: FreshCallerDep, second: FreshCallerDep) -> None:
        pass

    client.get(test_route("/test-only/twice", needs_the_caller_twice, "GET"))
    assert caller_calls == ["called", "called"]  # cached, it would run once


def test_an_override_keyed_on_the_alias_is_ignored_and_one_on_the_function_is_not(
    app: FastAPI, client: TestClient, valid_ticket: dict[str, Any]
) -> None:
    def fake_caller() -> Caller:
        return Caller(name="tester")

    app.dependency_overrides[CallerDep] = fake_caller  # no error, no effect
    assert client.post("/tickets", json=valid_ticket).json()["opened_by"] == "front desk"

    app.dependency_overrides.clear()
    app.dependency_overrides[get_caller] = fake_caller
    assert client.post("/tickets", json=valid_ticket).json()["opened_by"] == "tester"
