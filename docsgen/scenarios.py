"""The requests each lesson's "Try it" section shows. The responses are never written here:
`examples.py` runs these against the lesson's app and records what it answers.

Register a lesson with `@scenario("lesson_NN_topic")`; pass `client=` a factory when the app
needs more than its module-level `app` (an isolated database, a token).
"""

import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from importlib import import_module
from pathlib import Path
from typing import Any

import jwt
from fastapi.testclient import TestClient
from sqlalchemy import create_engine
from sqlalchemy.orm import Session
from sqlalchemy.pool import StaticPool

from .examples import BASE_URL, ClientFactory, TryIt, lesson_client

Scenario = Callable[[TryIt], None]
SCENARIOS: dict[str, tuple[Scenario, ClientFactory]] = {}

TICKET = {
    "customer_email": "ada@example.com",
    "device_model": "Pixel 8",
    "estimated_cost": "129.99",
    "notes": "Cracked screen, still boots.",
}


def scenario(lesson: str, client: ClientFactory = lesson_client) -> Callable[[Scenario], Scenario]:
    def register(function: Scenario) -> Scenario:
        SCENARIOS[lesson] = (function, client)
        return function

    return register


@scenario("lesson_01_routing")
def routing(try_it: TryIt) -> None:
    try_it.get("List the tickets that are ready", "/tickets?status=ready", expect=200)
    try_it.get("Read one ticket", "/tickets/2", expect=200)
    try_it.get("A path parameter that is not an integer", "/tickets/two", expect=422)
    try_it.get("A query parameter out of bounds", "/tickets?limit=0", expect=422)


@scenario("lesson_02_validation")
def validation(try_it: TryIt) -> None:
    try_it.post("Create a ticket", "/tickets", json_body=TICKET, expect=201)
    try_it.post(
        "Three mistakes at once",
        "/tickets",
        json_body={**TICKET, "customer_email": "ada@", "estimated_cost": "-5", "status": "ready"},
        expect=422,
    )
    try_it.post(
        "Money with a third decimal place",
        "/tickets",
        json_body={**TICKET, "estimated_cost": "19.999"},
        expect=422,
    )
    try_it.post(
        "A required field missing", "/tickets", json_body={"device_model": "Pixel 8"}, expect=422
    )


@scenario("lesson_03_errors")
def errors(try_it: TryIt) -> None:
    ticket = try_it.post("Create a ticket", "/tickets", json_body=TICKET, expect=201).json()
    try_it.request("Delete it", "DELETE", f"/tickets/{ticket['id']}", expect=204)
    try_it.get("Read it again", f"/tickets/{ticket['id']}", expect=404)
    try_it.request(
        "A method the path does not have",
        "PUT",
        f"/tickets/{ticket['id']}",
        expect=405,
        show_response_headers=("allow",),
    )


FRONT_DESK = {"X-API-Key": "front-desk-demo-key"}
WORKSHOP = {"X-API-Key": "workshop-demo-key"}


@scenario("lesson_04_dependencies")
def dependencies(try_it: TryIt) -> None:
    try_it.get("No API key", "/tickets", expect=401, show_response_headers=("www-authenticate",))
    try_it.get(
        "A wrong API key",
        "/tickets",
        headers={"X-API-Key": "guessed-key"},
        expect=401,
        show_response_headers=("www-authenticate",),
    )
    try_it.post(
        "The front desk opens a ticket",
        "/tickets",
        json_body=TICKET,
        headers=FRONT_DESK,
        expect=201,
    )
    try_it.post(
        "The workshop opens another",
        "/tickets",
        json_body={**TICKET, "device_model": "iPhone 15"},
        headers=WORKSHOP,
        expect=201,
    )
    try_it.get(
        "One page, filtered by device",
        "/tickets?device=iphone&limit=5",
        headers=WORKSHOP,
        expect=200,
    )
    try_it.get("An offset below zero", "/tickets?offset=-1", headers=WORKSHOP, expect=422)
    try_it.request(
        "Deleting a ticket that does not exist",
        "DELETE",
        "/tickets/42",
        headers=FRONT_DESK,
        expect=404,
    )


@contextmanager
def in_memory_database(lesson: str) -> Iterator[TestClient]:
    """The lesson's app on a private in-memory database: building the docs writes no file."""
    app = import_module(f"lessons.{lesson}.app").app
    db = import_module(f"lessons.{lesson}.db")
    engine = create_engine(
        "sqlite://", poolclass=StaticPool, connect_args={"check_same_thread": False}
    )
    file_database, app.state.database = app.state.database, db.Database(engine)
    try:
        with TestClient(app, base_url=BASE_URL) as client:
            yield client
    finally:
        app.state.database = file_database
        engine.dispose()


@scenario("lesson_05_database", client=in_memory_database)
def database(try_it: TryIt) -> None:
    ticket = try_it.post(
        "Open a ticket", "/tickets", json_body=TICKET, headers=FRONT_DESK, expect=201
    ).json()
    try_it.get(
        "Read it back from the database",
        f"/tickets/{ticket['id']}",
        headers=FRONT_DESK,
        expect=200,
    )
    try_it.post(
        "Open another",
        "/tickets",
        json_body={**TICKET, "device_model": "Pixel 7a", "estimated_cost": "0.10"},
        headers=WORKSHOP,
        expect=201,
    )
    try_it.get(
        "List the Pixels, second page of one",
        "/tickets?device=pixel&limit=1&offset=1",
        headers=FRONT_DESK,
        expect=200,
    )
    try_it.request(
        "Change the estimate, and nothing else",
        "PATCH",
        f"/tickets/{ticket['id']}",
        json_body={"estimated_cost": "89.00"},
        headers=WORKSHOP,
        expect=200,
    )
    try_it.post(
        "Move it to the next status",
        f"/tickets/{ticket['id']}/transitions",
        json_body={"to": "diagnosing"},
        headers=WORKSHOP,
        expect=200,
    )
    try_it.post(
        "Skip a step",
        f"/tickets/{ticket['id']}/transitions",
        json_body={"to": "collected"},
        headers=WORKSHOP,
        expect=409,
    )
    try_it.get(
        "What the customer sees, with the tracking code and no API key",
        f"/track/{ticket['tracking_code']}",
        expect=200,
    )
    try_it.request(
        "Delete the first",
        "DELETE",
        f"/tickets/{ticket['id']}",
        headers=FRONT_DESK,
        expect=204,
    )
    try_it.get("Read it again", f"/tickets/{ticket['id']}", headers=FRONT_DESK, expect=404)


@scenario("lesson_06_async", client=in_memory_database)
def async_lesson(try_it: TryIt) -> None:
    try_it.get("Ask whether the server answers", "/health", expect=200)
    try_it.post("Open a ticket", "/tickets", json_body=TICKET, headers=FRONT_DESK, expect=201)
    try_it.get(
        "List the tickets, from a def endpoint in the threadpool",
        "/tickets",
        headers=FRONT_DESK,
        expect=200,
    )


@contextmanager
def app_from_factory(
    lesson: str, prepare: Callable[[str], None] | None = None, **settings: Any
) -> Iterator[TestClient]:
    """The lesson's app built by its factory, on a temporary database migrated to head."""
    main = import_module(f"lessons.{lesson}.main")
    migrate = import_module(f"lessons.{lesson}.migrate")
    settings_class = import_module(f"lessons.{lesson}.config").Settings
    with tempfile.TemporaryDirectory() as directory:
        url = f"sqlite:///{Path(directory) / 'repairdesk.db'}"
        migrate.upgrade(url)
        if prepare is not None:
            prepare(url)
        app = main.create_app(settings_class(_env_file=None, database_url=url, **settings))
        with TestClient(app, base_url=BASE_URL) as client:
            yield client


def structure_client(lesson: str) -> Any:
    keys = {"front desk": "front-desk-demo-key", "workshop": "workshop-demo-key"}
    return app_from_factory(lesson, api_keys=keys)


@scenario("lesson_07_structure", client=structure_client)
def structure(try_it: TryIt) -> None:
    try_it.get("The health check", "/health", expect=200)
    try_it.get("No API key", "/tickets", expect=401, show_response_headers=("www-authenticate",))
    ticket = try_it.post(
        "A key from the settings opens a ticket",
        "/tickets",
        json_body=TICKET,
        headers=FRONT_DESK,
        expect=201,
    ).json()
    try_it.get("The tickets router lists it", "/tickets", headers=WORKSHOP, expect=200)
    try_it.get(
        "The tracking router answers without a key",
        f"/track/{ticket['tracking_code']}",
        expect=200,
    )


ADA, ADA_PASSWORD = "ada@example.com", "ada-demo-password"
TOM, TOM_PASSWORD = "tom@example.com", "tom-demo-password"


def security_client(lesson: str) -> Any:
    users = import_module(f"lessons.{lesson}.users")
    schemas = import_module(f"lessons.{lesson}.schemas")
    security = import_module(f"lessons.{lesson}.security")

    def add_demo_users(url: str) -> None:
        engine = create_engine(url)
        with Session(engine) as session, session.begin():
            for email, password, role in [
                (ADA, ADA_PASSWORD, "admin"),
                (TOM, TOM_PASSWORD, "technician"),
            ]:
                data = schemas.UserCreate(email=email, password=password, role=role)
                users.create_user(session, data, security.hash_password(password))
        engine.dispose()

    secret = "docs-only-secret-key-of-at-least-thirty-two-characters"  # noqa: S105 (demo)
    return app_from_factory(lesson, prepare=add_demo_users, secret_key=secret)


def log_in(try_it: TryIt, title: str, username: str, password: str, *, expect: int) -> Any:
    # The form Swagger UI's Authorize dialog posts.
    form = {"grant_type": "password", "username": username, "password": password}
    return try_it.post(
        title, "/auth/token", form=form, expect=expect, show_response_headers=("cache-control",)
    )


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


@scenario("lesson_08_security", client=security_client)
def security(try_it: TryIt) -> None:
    try_it.get("No token", "/tickets", expect=401, show_response_headers=("www-authenticate",))
    tom = log_in(try_it, "Tom logs in", TOM, TOM_PASSWORD, expect=200).json()["access_token"]
    log_in(try_it, "A wrong password", TOM, "guessed-password", expect=400)
    log_in(
        try_it, "An email with no account", "mallory@example.com", "guessed-password", expect=400
    )
    me = try_it.get("Who the token says Tom is", "/users/me", headers=bearer(tom), expect=200)
    ticket = try_it.post(
        "Tom opens a ticket", "/tickets", json_body=TICKET, headers=bearer(tom), expect=201
    ).json()
    try_it.request(
        "Tom, a technician, may not delete it",
        "DELETE",
        f"/tickets/{ticket['id']}",
        headers=bearer(tom),
        expect=403,
    )
    ada = log_in(try_it, "Ada logs in", ADA, ADA_PASSWORD, expect=200).json()["access_token"]
    try_it.request(
        "Ada, an admin, may",
        "DELETE",
        f"/tickets/{ticket['id']}",
        headers=bearer(ada),
        expect=204,
    )
    try_it.request(
        "Ada deactivates Tom",
        "PATCH",
        f"/users/{me.json()['id']}",
        json_body={"is_active": False},
        headers=bearer(ada),
        expect=200,
    )
    try_it.get(
        "Tom's unexpired token, at his next request",
        "/tickets",
        headers=bearer(tom),
        expect=401,
    )
    unsigned = jwt.encode(
        {"sub": "1", "role": "admin", "exp": 4102444800}, key=None, algorithm="none"
    )
    try_it.get(
        "A token that is not signed (alg: none) claiming to be Ada",
        "/users/me",
        headers=bearer(unsigned),
        expect=401,
        show_response_headers=("www-authenticate",),
    )


ADMIN_EMAIL, ADMIN_PASSWORD = "ada@example.com", "ada-demo-password"
TECHNICIAN_EMAIL, TECHNICIAN_PASSWORD = "tom@example.com", "tom-demo-password"


@contextmanager
def request_path_client(lesson: str) -> Iterator[TestClient]:
    """Lesson 09's app on a temporary database; start-up creates Ada, the admin."""
    main = import_module(f"lessons.{lesson}.main")
    migrate = import_module(f"lessons.{lesson}.migrate")
    settings_class = import_module(f"lessons.{lesson}.config").Settings
    with tempfile.TemporaryDirectory() as directory:
        url = f"sqlite:///{Path(directory) / 'repairdesk.db'}"
        migrate.upgrade(url)
        settings = settings_class(
            database_url=url,
            secret_key="docs-only-secret-key-of-at-least-thirty-two-characters",  # noqa: S106 (demo)
            admin_email=ADMIN_EMAIL,
            admin_password=ADMIN_PASSWORD,
        )
        with TestClient(main.create_app(settings), base_url=BASE_URL) as client:
            yield client


def sign_in(try_it: TryIt, title: str, email: str, password: str) -> str:
    form = {"grant_type": "password", "username": email, "password": password}
    response = try_it.post(title, "/api/v1/auth/token", form=form, expect=200)
    return str(response.json()["access_token"])


@scenario("lesson_09_request_path", client=request_path_client)
def request_path(try_it: TryIt) -> None:
    ada = sign_in(try_it, "Ada, the admin, signs in with her email", ADMIN_EMAIL, ADMIN_PASSWORD)
    tom = try_it.post(
        "Ada adds Tom, a technician",
        "/api/v1/users",
        json_body={"email": TECHNICIAN_EMAIL, "password": TECHNICIAN_PASSWORD},
        headers=bearer(ada),
        expect=201,
    ).json()
    tom_token = sign_in(try_it, "Tom signs in", TECHNICIAN_EMAIL, TECHNICIAN_PASSWORD)
    ticket = try_it.post(
        "Tom opens a ticket: one trip to the database",
        "/api/v1/tickets",
        json_body=TICKET,
        headers=bearer(tom_token),
        expect=201,
    ).json()
    try_it.post(
        "Tom moves it along its life cycle",
        f"/api/v1/tickets/{ticket['id']}/transitions",
        json_body={"to": "diagnosing"},
        headers=bearer(tom_token),
        expect=200,
    )
    try_it.request(
        "Ada deactivates Tom's account",
        "PATCH",
        f"/api/v1/users/{tom['id']}",
        json_body={"is_active": False},
        headers=bearer(ada),
        expect=200,
    )
    try_it.get(
        "Tom's token is still signed and unexpired, but his next request is refused",
        f"/api/v1/tickets/{ticket['id']}",
        headers=bearer(tom_token),
        expect=401,
        show_response_headers=("www-authenticate",),
    )


@scenario("lesson_11_scale", client=request_path_client)
def scale(try_it: TryIt) -> None:
    ada = sign_in(try_it, "Ada signs in", ADMIN_EMAIL, ADMIN_PASSWORD)
    # A fixed key and request id, so the page shows the same exchange at every build.
    first_try = {**bearer(ada), "Idempotency-Key": "4f1c2a9e-ticket-1", "X-Request-ID": "demo-1"}
    try_it.post(
        "Ada opens a ticket with an Idempotency-Key; the answer names its request",
        "/api/v1/tickets",
        json_body=TICKET,
        headers=first_try,
        expect=201,
        show_response_headers=("location", "x-request-id"),
    )
    try_it.post(
        "Her answer was lost on the way: she sends the same request again",
        "/api/v1/tickets",
        json_body=TICKET,
        headers={**first_try, "X-Request-ID": "demo-2"},
        expect=201,
        show_response_headers=("idempotent-replayed", "x-request-id"),
    )
    try_it.post(
        "The same key with another body is refused: it would hide a second ticket",
        "/api/v1/tickets",
        json_body={**TICKET, "device_model": "Pixel 9"},
        headers={**first_try, "X-Request-ID": "demo-3"},
        expect=409,
    )
    try_it.post(
        "A key that cannot be one is refused before anything is stored",
        "/api/v1/tickets",
        json_body=TICKET,
        headers={**bearer(ada), "Idempotency-Key": "my key!"},
        expect=422,
    )
    try_it.get(
        "One ticket exists, whatever the retries",
        f"/api/v1/tickets?customer_email={TICKET['customer_email']}",
        headers=bearer(ada),
        expect=200,
    )
    try_it.get(
        "Ready, until SIGTERM: then 503, and the proxy sends new work elsewhere",
        "/health/ready",
        expect=200,
    )
