"""Fixtures every test folder shares.

Each lesson's own conftest.py provides `app`, the application under test; the shared
behaviour tests in tests/behaviours/ only ever talk to it through `client`, or through
`anonymous_client` to see what a caller without credentials gets.
"""

from collections.abc import Callable, Iterator
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

# Shared behaviour modules are imported, not collected: rewrite their asserts for clear failures.
pytest.register_assert_rewrite("tests.behaviours")


@pytest.fixture
def client(app: FastAPI) -> Iterator[TestClient]:
    # The context manager runs the app's lifespan, as a real server would.
    with TestClient(app) as client:
        yield client


@pytest.fixture
def anonymous_client(app: FastAPI) -> Iterator[TestClient]:
    """A client that sends no credentials, where a lesson's `client` sends a key or a token."""
    with TestClient(app) as client:
        yield client


@pytest.fixture
def valid_ticket() -> dict[str, Any]:
    """A ticket body every lesson from 02 on, and the final app, accepts."""
    return {
        "customer_email": "ada@example.com",
        "device_model": "Pixel 8",
        "estimated_cost": "129.99",
        "notes": "Cracked screen, still boots.",
    }


@pytest.fixture
def test_route(app: FastAPI) -> Iterator[Callable[..., str]]:
    """Register test-only routes on the app, removed again after the test."""
    paths: list[str] = []

    def register(path: str, endpoint: Any, method: str = "POST", **options: Any) -> str:
        app.add_api_route(path, endpoint, methods=[method], **options)
        paths.append(path)
        return path

    yield register
    app.router.routes[:] = [r for r in app.router.routes if getattr(r, "path", "") not in paths]
