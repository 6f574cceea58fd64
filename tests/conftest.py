"""Fixtures every test folder shares.

Each lesson's own conftest.py provides `app`, the application under test; the shared
behaviour tests in tests/behaviours/ only ever talk to it through `client`, or through
`anonymous_client` to see what a caller without credentials gets.

What differs between the apps that keep a behaviour, and not the behaviour itself, is a
fixture here with the lessons' answer: where the tickets are (`tickets_path`), how a list
holds them (`listed_tickets`, `newest_first`), what a 500 says (`internal_error_body`) and
how an endpoint gets its session (`session_route`). The final app's conftest overrides them.
"""

import gc
from collections.abc import Callable, Iterator
from typing import Any

import httpx2
import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

# Shared behaviour modules are imported, not collected: rewrite their asserts for clear failures.
pytest.register_assert_rewrite("tests.behaviours")

# Tests that start a real server or a command line in a process of their own take seconds
# each: they are marked `slow`, and `nox -s slow` runs them (CI too), so that a lesson's own
# session stays a quick loop. Named where they are defined (a module, or a module's test), so
# a shared behaviour is slow in every suite that imports it.
SLOW_MODULES = {
    "tests.lessons.lesson_06_async.test_event_loop",
    "tests.lessons.lesson_08_security.test_password_memory",
    "tests.final_app.test_concurrency",
    "tests.final_app.test_server_errors",
    "tests.final_app.test_shutdown",
}
SLOW_TESTS = {
    "tests.lessons.lesson_06_async.test_harness.test_asyncio_client_counts_every_answer",
    "tests.lessons.lesson_06_async.test_harness.test_a_json_body_is_posted_with_every_request",
    "tests.lessons.lesson_09_request_path.test_migrations.test_the_cli_migrates_from_any_directory",
    "tests.final_app.test_migrations.test_the_cli_migrates_from_any_directory",
    "tests.final_app.test_passwords.test_40_concurrent_logins_stay_under_the_argon2_ceiling",
    "tests.behaviours.health_probes.test_uvicorn_drains_on_sigterm_and_still_shuts_down",
    "tests.behaviours.health_probes.test_a_readiness_check_in_flight_when_sigterm_arrives_answers_503",
    "tests.behaviours.json_logs.test_every_line_of_a_real_server_is_json_and_names_its_request",
}


@pytest.hookimpl(tryfirst=True)  # before -k and -m deselect anything
def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    modules, tests = set(), set()
    for item in items:
        if not isinstance(item, pytest.Function):
            continue
        module, test = item.function.__module__, f"{item.function.__module__}.{item.originalname}"
        modules.add(module)
        tests.add(test)
        if module in SLOW_MODULES or test in SLOW_TESTS:
            item.add_marker(pytest.mark.slow)
    # A renamed slow test would silently join the quick loop: refuse to run instead.
    if lost := {t for t in SLOW_TESTS - tests if t.rpartition(".")[0] in modules}:
        raise pytest.UsageError(f"tests/conftest.py's SLOW_TESTS names no test: {sorted(lost)}")


def pytest_collection_finish(session: pytest.Session) -> None:
    """What is imported by now (the apps, FastAPI, SQLAlchemy, Pydantic's schemas) lives for the
    whole run: frozen, the garbage collector stops walking it at each full collection, which
    the thousands of objects every app builds set off."""
    gc.collect()
    gc.freeze()


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


@pytest.fixture
def tickets_path() -> str:
    """Where the ticket routes are: `GET` lists, `POST` creates, `/{ticket_id}` is one ticket."""
    return "/tickets"


@pytest.fixture
def tracking_path() -> str:
    """Where a customer looks a tracking code up: `GET {tracking_path}/{code}` (lesson 05 on)."""
    return "/track"


@pytest.fixture
def listed_tickets() -> Callable[[Any], list[dict[str, Any]]]:
    """The tickets in the body of a list response: in the lessons, the body is the list."""

    def tickets(body: Any) -> list[dict[str, Any]]:
        assert isinstance(body, list), body
        return body

    return tickets


@pytest.fixture
def newest_first() -> bool:
    """Whether the list shows the newest ticket first: the lessons list oldest first."""
    return False


@pytest.fixture
def internal_error_body() -> Callable[[httpx2.Response], dict[str, Any]]:
    """The body of the 500 a bug gets, given the response that carries it."""
    return lambda response: {"detail": "Internal server error"}


@pytest.fixture
def session_route(
    test_route: Callable[..., str], session_dependency: Any
) -> Callable[[str, Callable[[Session], Any]], str]:
    """Register a POST route whose endpoint runs `work(session)` on the request's session.

    In the lessons the endpoint takes the session from `get_db` (`session_dependency`, from
    the lesson's conftest), committed or rolled back when the request ends.
    """

    def register(path: str, work: Callable[[Session], Any]) -> str:
        def endpoint(session: Session = session_dependency) -> Any:
            return work(session)

        return test_route(path, endpoint)

    return register
