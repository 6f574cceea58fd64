"""Decision 3, services: plain functions of a `Session` that return schemas and know no HTTP.

A service's result is read after its unit of work has ended, in the event loop: a schema holds
every value already, where an ORM row would load what it lacks from a session long closed.
Their errors (`NotFoundError`, `ConflictError`, ...) become 404, 409, ... in `errors.py` alone.
"""

from __future__ import annotations

import ast
import inspect
import typing
from collections.abc import Callable, Iterator
from datetime import timedelta
from decimal import Decimal
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from pydantic import BaseModel
from sqlalchemy import Engine, create_engine
from sqlalchemy import inspect as inspect_orm
from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import DetachedInstanceError

from lessons.lesson_09_request_path import services
from lessons.lesson_09_request_path.api.deps import DatabaseDep
from lessons.lesson_09_request_path.models import Base, Role, Ticket, TicketStatus
from lessons.lesson_09_request_path.schemas import (
    TicketCreate,
    TicketUpdate,
    UserCreate,
    UserUpdate,
)
from lessons.lesson_09_request_path.security import Principal
from lessons.lesson_09_request_path.services import errors, logins, tickets, users
from tests.lessons.lesson_09_request_path.conftest import PASSWORD, TECHNICIAN_EMAIL

SERVICE_MODULES = [tickets, users, logins]
SERVICES_DIR = Path(services.__file__).parent


@pytest.fixture
def engine(database_url: str) -> Iterator[Engine]:
    engine = create_engine(database_url)
    yield engine
    engine.dispose()


def in_a_closed_session(engine: Engine, service: Callable[..., Any], *args: Any) -> Any:
    """`service(session, *args)` in a committed transaction whose session is then closed.

    A plain `Session`: unlike the lesson's, it expires every loaded row on commit, so a row
    that escaped it could not even answer its own id afterwards.
    """
    with Session(engine) as session, session.begin():
        result = service(session, *args)
    return result


def read_every_field(value: Any) -> Any:
    """Every value a schema holds, nested schemas and lists included, as plain data."""
    if isinstance(value, BaseModel):
        return {name: read_every_field(getattr(value, name)) for name in type(value).model_fields}
    if isinstance(value, list):
        return [read_every_field(item) for item in value]
    return value


def assert_is_a_schema(result: Any) -> dict[str, Any]:
    assert isinstance(result, BaseModel), type(result)
    assert inspect_orm(result, raiseerr=False) is None  # not a mapped row
    fields = read_every_field(result)
    assert result.model_dump_json()  # and it serializes without a session
    return typing.cast(dict[str, Any], fields)


NEW_TICKET = TicketCreate(
    customer_email="ada@example.com", device_model="Pixel 8", estimated_cost=Decimal("129.9")
)


@pytest.fixture
def ticket_id(engine: Engine) -> int:
    created = in_a_closed_session(engine, tickets.create_ticket, NEW_TICKET)
    return int(created.id)


TicketService = Callable[[Session, int], Any]
TICKET_SERVICES: dict[str, TicketService] = {
    "create_ticket": lambda session, _: tickets.create_ticket(session, NEW_TICKET),
    "read_ticket": tickets.read_ticket,
    "update_ticket": lambda session, ticket_id: tickets.update_ticket(
        session, ticket_id, TicketUpdate(notes="Screen ordered.")
    ),
    "transition_ticket": lambda session, ticket_id: tickets.transition_ticket(
        session, ticket_id, TicketStatus.DIAGNOSING
    ),
    "list_tickets": lambda session, _: tickets.list_tickets(
        session, status=None, customer_email=None, limit=20, offset=0
    ),
}


@pytest.mark.parametrize("name", TICKET_SERVICES)
def test_a_ticket_service_returns_a_schema_readable_after_the_session_closed(
    engine: Engine, ticket_id: int, name: str
) -> None:
    service = TICKET_SERVICES[name]
    fields = assert_is_a_schema(in_a_closed_session(engine, service, ticket_id))
    [ticket] = fields["items"] if name == "list_tickets" else [fields]
    assert ticket["estimated_cost"] == Decimal("129.90")
    assert ticket["created_at"].utcoffset() == timedelta(0)


def test_tracking_returns_a_schema_with_what_a_customer_may_see(
    engine: Engine, ticket_id: int
) -> None:
    code = in_a_closed_session(engine, tickets.read_ticket, ticket_id).tracking_code
    fields = assert_is_a_schema(in_a_closed_session(engine, tickets.track_ticket, code))
    assert set(fields) == {"status", "device_model", "updated_at"}


def test_user_services_return_schemas_readable_after_the_session_closed(
    engine: Engine, admin: Principal, password_hash: str
) -> None:
    new_user = UserCreate(email="new@example.com", password=PASSWORD)
    created = assert_is_a_schema(
        in_a_closed_session(engine, users.create_user, new_user, password_hash)
    )
    assert (created["email"], created["role"]) == ("new@example.com", Role.TECHNICIAN)
    assert "password_hash" not in created
    read = assert_is_a_schema(in_a_closed_session(engine, users.get_user, admin.user_id))
    assert read["role"] == Role.ADMIN
    promoted = in_a_closed_session(
        engine, users.update_user, created["id"], UserUpdate(role=Role.ADMIN)
    )
    assert assert_is_a_schema(promoted)["role"] == Role.ADMIN
    page = in_a_closed_session(
        engine, lambda session: users.list_users(session, limit=10, offset=0)
    )
    assert [user["email"] for user in assert_is_a_schema(page)["items"]] == [
        "admin@example.com",
        "new@example.com",
    ]


def test_a_login_carries_the_user_as_a_schema(engine: Engine, technician: Principal) -> None:
    throttle = logins.Throttle(limit=5, window=timedelta(minutes=5))
    login = in_a_closed_session(engine, logins.begin_login, TECHNICIAN_EMAIL, throttle)
    assert login is not None
    assert assert_is_a_schema(login.user)["id"] == technician.user_id
    assert login.password_hash.startswith("$argon2id$")


def mapped_classes_in(annotation: Any) -> list[type]:
    found = [annotation] if isinstance(annotation, type) and issubclass(annotation, Base) else []
    for argument in typing.get_args(annotation):
        found += mapped_classes_in(argument)
    return found


def public_functions(module: ModuleType) -> list[Callable[..., Any]]:
    return [
        function
        for name, function in inspect.getmembers(module, inspect.isfunction)
        if function.__module__ == module.__name__ and not name.startswith("_")
    ]


@pytest.mark.parametrize("module", SERVICE_MODULES, ids=lambda module: module.__name__)
def test_no_service_returns_a_mapped_row(module: ModuleType) -> None:
    returned = {
        function.__name__: mapped_classes_in(typing.get_type_hints(function).get("return"))
        for function in public_functions(module)
    }
    assert {name: rows for name, rows in returned.items() if rows} == {}


def imported_modules(path: Path) -> set[str]:
    tree = ast.parse(path.read_text())
    names = {
        alias.name
        for node in ast.walk(tree)
        if isinstance(node, ast.Import)
        for alias in node.names
    }
    names |= {node.module or "" for node in ast.walk(tree) if isinstance(node, ast.ImportFrom)}
    return {name.split(".")[0] for name in names}


@pytest.mark.parametrize("path", sorted(SERVICES_DIR.glob("*.py")), ids=lambda path: path.name)
def test_services_know_nothing_of_http(path: Path) -> None:
    assert imported_modules(path).isdisjoint({"fastapi", "starlette", "httpx", "httpx2"})


@pytest.mark.parametrize(
    ("error", "status"),
    [
        (errors.NotAuthenticatedError("Could not validate credentials"), 401),
        (errors.PermissionDeniedError("Admins only"), 403),
        (errors.NotFoundError("No ticket with this tracking code"), 404),
        (tickets.TicketNotFoundError(7), 404),
        (errors.ConflictError("A user with email a@example.com already exists"), 409),
        (tickets.TransitionNotAllowedError(TicketStatus.COLLECTED, TicketStatus.READY), 409),
    ],
    ids=lambda value: type(value).__name__ if isinstance(value, Exception) else str(value),
)
def test_errors_py_maps_each_service_error_to_its_status(
    app: FastAPI,
    client: TestClient,
    test_route: Callable[..., str],
    error: Exception,
    status: int,
) -> None:
    """Raised in the worker thread, inside the unit of work, and answered as JSON."""

    def refuse(session: Session) -> None:
        raise error

    async def endpoint(database: DatabaseDep) -> None:
        await database.run(refuse)

    response = client.get(test_route("/test-only/refuse", endpoint, method="GET"))
    assert response.status_code == status
    assert response.json() == {"detail": str(error)}
    if status == 401:
        assert response.headers["WWW-Authenticate"] == "Bearer"


def test_an_orm_row_that_escapes_its_session_cannot_be_read(engine: Engine, ticket_id: int) -> None:
    """Why services return schemas: a row is tied to its session, closed once the work ends."""
    row = in_a_closed_session(engine, lambda session: session.get(Ticket, ticket_id))
    with pytest.raises(DetachedInstanceError):
        _ = row.status
