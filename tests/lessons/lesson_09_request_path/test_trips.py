"""Decision 2, one trip per request: `async def` endpoints, one `Database.run`, one transaction.

Lesson 08's read of a ticket hops to the threadpool seven times: for each sync dependency, for
the enter and the exit of the session's yield dependency, for the `def` endpoint and for the
validation of what it returns. Lesson 09's makes one hop: its `Database.run`, which runs the
account check and the work in one transaction.
"""

from __future__ import annotations

import inspect
import shutil
from collections.abc import Callable, Iterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.dependencies.models import Dependant
from fastapi.routing import APIRoute
from fastapi.testclient import TestClient
from sqlalchemy import create_engine, event, func, select
from sqlalchemy.orm import Session

from lessons.lesson_08_security import config as lesson_08_config
from lessons.lesson_08_security import main as lesson_08_main
from lessons.lesson_08_security import migrate as lesson_08_migrate
from lessons.lesson_08_security import models as lesson_08_models
from lessons.lesson_08_security import schemas as lesson_08_schemas
from lessons.lesson_08_security import security as lesson_08_security
from lessons.lesson_08_security import users as lesson_08_users
from lessons.lesson_09_request_path.api.deps import DatabaseDep
from lessons.lesson_09_request_path.config import Settings
from lessons.lesson_09_request_path.main import create_app
from lessons.lesson_09_request_path.models import User
from lessons.lesson_09_request_path.security import Principal
from tests.lessons.lesson_09_request_path.conftest import (
    USERS,
    Headers,
    Hops,
    SqlOnTheLoopGuard,
)
from tests.support.api_v1 import TICKETS

# --- every endpoint and dependency runs on the event loop -------------------------------------


def runs_on_the_loop(call: Any) -> bool:
    """Whether FastAPI awaits `call` on the event loop instead of sending it to a thread."""
    function = call if inspect.isroutine(call) else getattr(call, "__call__", None)  # noqa: B004
    return inspect.iscoroutinefunction(function)


def sync_calls(dependant: Dependant) -> Iterator[str]:
    """The name of every dependency (and the endpoint) FastAPI would run in a worker thread."""
    if dependant.call is not None and not runs_on_the_loop(dependant.call):
        yield getattr(dependant.call, "__name__", repr(dependant.call))
    for dependency in dependant.dependencies:
        yield from sync_calls(dependency)


def api_routes(routes: list[Any]) -> Iterator[APIRoute]:
    for route in routes:
        if isinstance(route, APIRoute):
            yield route
        # FastAPI 0.16x keeps an included router whole, behind one route of the app.
        included = getattr(route, "original_router", None)
        if included is not None:
            yield from api_routes(included.routes)


def test_every_endpoint_and_dependency_is_async(tmp_path: Path) -> None:
    app = create_app(Settings(database_url=f"sqlite:///{tmp_path / 'unused.db'}"))
    routes = list(api_routes(app.routes))
    assert len(routes) >= 12  # every route of the lesson was found
    offenders = {route.path: list(sync_calls(route.dependant)) for route in routes}
    assert {path: calls for path, calls in offenders.items() if calls} == {}


# --- one hop per request ----------------------------------------------------------------------

Request = Callable[[TestClient, dict[str, Any], Headers], Any]
NEW_TICKET = {"customer_email": "bo@example.com", "device_model": "Pixel 9", "estimated_cost": "10"}


def ticket_request(method: str, suffix: str = "", body: dict[str, Any] | None = None) -> Request:
    def send(client: TestClient, ticket: dict[str, Any], headers: Headers) -> Any:
        path = f"{TICKETS}/{ticket['id']}{suffix}"
        return client.request(method, path, json=body, headers=headers)

    return send


REQUESTS: dict[str, tuple[Request, int]] = {
    "read a ticket": (ticket_request("GET"), 200),
    "create a ticket": (
        lambda client, ticket, headers: client.post(TICKETS, json=NEW_TICKET, headers=headers),
        201,
    ),
    "edit a ticket": (ticket_request("PATCH", body={"notes": "Screen ordered."}), 200),
    "move a ticket": (ticket_request("POST", "/transitions", {"to": "diagnosing"}), 200),
    "delete a ticket": (ticket_request("DELETE"), 204),
    "list tickets": (lambda client, ticket, headers: client.get(TICKETS, headers=headers), 200),
    "read me": (lambda client, ticket, headers: client.get(f"{USERS}/me", headers=headers), 200),
    "list users": (lambda client, ticket, headers: client.get(USERS, headers=headers), 200),
    "track a ticket": (
        lambda client, ticket, headers: client.get(f"/api/v1/track/{ticket['tracking_code']}"),
        200,
    ),
    "an unknown ticket": (
        lambda client, ticket, headers: client.get(f"{TICKETS}/999999", headers=headers),
        404,
    ),
}


@pytest.mark.parametrize("name", REQUESTS)
def test_a_request_makes_one_hop_and_it_is_database_run(
    name: str,
    app: FastAPI,
    client: TestClient,
    ticket: dict[str, Any],
    admin_headers: Headers,
    hops: Hops,
) -> None:
    send, status = REQUESTS[name]
    hops.reset()
    response = send(client, ticket, admin_headers)
    assert response.status_code == status, response.text
    # One trip, and it is `Database.run`'s: it waits for the database's threads.
    hops.assert_one_database_trip(app)


# --- lesson 08, measured the same way ---------------------------------------------------------


@pytest.fixture(scope="module")
def lesson_08_database(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("lesson_08") / "migrated.db"
    lesson_08_migrate.upgrade(f"sqlite:///{path}")
    engine = create_engine(f"sqlite:///{path}")
    ada = lesson_08_schemas.UserCreate(
        email="ada@example.com", password="correct horse battery staple", role="admin"
    )
    with Session(engine) as session, session.begin():
        lesson_08_users.create_user(session, ada, lesson_08_security.hash_password(ada.password))
    engine.dispose()
    return path


def test_lesson_08s_read_of_a_ticket_makes_seven_hops(
    lesson_08_database: Path,
    tmp_path: Path,
    hops: Hops,
    no_sql_on_the_event_loop: SqlOnTheLoopGuard,
    valid_ticket: dict[str, Any],
) -> None:
    database = shutil.copy(lesson_08_database, tmp_path / "lesson_08.db")
    secret = "a-secret-key-for-lesson-08-long-enough-for-hs256"
    settings = lesson_08_config.Settings(
        _env_file=None, database_url=f"sqlite:///{database}", secret_key=secret
    )
    ada = lesson_08_security.Principal(user_id=1, role=lesson_08_models.Role.ADMIN)
    token = lesson_08_security.create_access_token(
        ada, secret_key=secret, lifetime=timedelta(minutes=5)
    )
    # Lesson 08 checks its schema on the event loop at start-up, before any request: allowed.
    with no_sql_on_the_event_loop.paused():
        app = lesson_08_main.create_app(settings)
        headers = {"Authorization": f"Bearer {token}"}
        with TestClient(app, headers=headers) as client:
            ticket_id = client.post("/tickets", json=valid_ticket).json()["id"]
            hops.reset()
            assert client.get(f"/tickets/{ticket_id}").status_code == 200
    # The page's table: get_settings, get_database, get_db's enter and exit, get_current_user,
    # the `def` endpoint, and the validation of its TicketRead, which FastAPI does in a thread.
    names = [name for name, _ in hops.trips]
    assert {"get_settings", "get_database", "get_current_user"} <= set(names)
    assert hops.count == 7, names


# --- one unit of work: one transaction --------------------------------------------------------


@pytest.fixture
def transactions(app: FastAPI) -> Iterator[list[str]]:
    """What the app's engine ends each transaction with: "commit" or "rollback"."""
    ended: list[str] = []
    engine = app.state.database.engine

    def commit(*_: Any) -> None:
        ended.append("commit")

    def rollback(*_: Any) -> None:
        ended.append("rollback")

    event.listen(engine, "commit", commit)
    event.listen(engine, "rollback", rollback)
    yield ended
    event.remove(engine, "commit", commit)
    event.remove(engine, "rollback", rollback)


def test_a_request_is_one_transaction_committed(
    client: TestClient, ticket: dict[str, Any], tech_headers: Headers, transactions: list[str]
) -> None:
    transactions.clear()
    change = {"notes": "Screen ordered."}
    path = f"{TICKETS}/{ticket['id']}"
    assert client.patch(path, json=change, headers=tech_headers).status_code == 200
    assert transactions == ["commit"]  # the account check and the edit, together


def test_a_refused_request_is_one_transaction_rolled_back(
    client: TestClient, tech_headers: Headers, transactions: list[str]
) -> None:
    transactions.clear()
    assert client.get(f"{TICKETS}/999999", headers=tech_headers).status_code == 404
    assert transactions == ["rollback"]


def test_a_service_error_after_a_write_undoes_the_write(
    client: TestClient, admin: Principal, admin_headers: Headers
) -> None:
    # update_user writes the demotion, then finds no active admin left and raises: the
    # demotion must not survive the 409.
    response = client.patch(
        f"{USERS}/{admin.user_id}", json={"role": "technician"}, headers=admin_headers
    )
    assert response.status_code == 409
    assert client.get(f"{USERS}/me", headers=admin_headers).json()["role"] == "admin"


def test_a_commit_that_fails_is_a_500_not_a_success(
    app: FastAPI, session_route: Callable[..., str], ticket_row: Callable[..., Any]
) -> None:
    def add_without_flushing(session: Session) -> dict[str, str]:
        session.add(ticket_row(customer_email=None))  # fails only when Database.run commits
        return {"saved": "yes"}

    path = session_route("/test-only/add", add_without_flushing)
    with TestClient(app, raise_server_exceptions=False) as client:
        response = client.post(path)
    assert response.status_code == 500
    assert "saved" not in response.text


# --- and none of it on the event loop ---------------------------------------------------------


def test_sql_run_on_the_event_loop_fails_the_suite(
    client: TestClient, test_route: Callable[..., str]
) -> None:
    """The autouse guard is live: an endpoint that skips `Database.run` is caught, whatever
    the test it happens in."""

    async def blocking_read(database: DatabaseDep) -> int | None:
        return database.run_sync(lambda session: session.scalar(select(func.count(User.id))))

    with pytest.raises(AssertionError, match="ran on the event loop"):
        client.get(test_route("/test-only/blocking", blocking_read, method="GET"))
