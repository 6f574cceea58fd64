"""The requests each lesson's "Try it" section shows. The responses are never written here:
`examples.py` runs these against the lesson's app and records what it answers.

Register a lesson with `@scenario("lesson_NN_topic")`; pass `client=` a factory when the app
needs more than its module-level `app` (an isolated database, a token).
"""

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from importlib import import_module

from fastapi.testclient import TestClient
from sqlalchemy import create_engine
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
    try_it.get("List the tickets that are ready", "/tickets?status=ready")
    try_it.get("Read one ticket", "/tickets/2")
    try_it.get("A path parameter that is not an integer", "/tickets/two")
    try_it.get("A query parameter out of bounds", "/tickets?limit=0")


@scenario("lesson_02_validation")
def validation(try_it: TryIt) -> None:
    try_it.post("Create a ticket", "/tickets", json_body=TICKET)
    try_it.post(
        "Three mistakes at once",
        "/tickets",
        json_body={**TICKET, "customer_email": "ada@", "estimated_cost": "-5", "status": "ready"},
    )
    try_it.post(
        "Money with a third decimal place",
        "/tickets",
        json_body={**TICKET, "estimated_cost": "19.999"},
    )
    try_it.post("A required field missing", "/tickets", json_body={"device_model": "Pixel 8"})


@scenario("lesson_03_errors")
def errors(try_it: TryIt) -> None:
    ticket = try_it.post("Create a ticket", "/tickets", json_body=TICKET).json()
    try_it.request("Delete it", "DELETE", f"/tickets/{ticket['id']}")
    try_it.get("Read it again", f"/tickets/{ticket['id']}")
    try_it.request("A method the route does not have", "PUT", f"/tickets/{ticket['id']}")


FRONT_DESK = {"X-API-Key": "front-desk-demo-key"}
WORKSHOP = {"X-API-Key": "workshop-demo-key"}


@scenario("lesson_04_dependencies")
def dependencies(try_it: TryIt) -> None:
    try_it.get("No API key", "/tickets", show_response_headers=("www-authenticate",))
    try_it.get(
        "A wrong API key",
        "/tickets",
        headers={"X-API-Key": "guessed-key"},
        show_response_headers=("www-authenticate",),
    )
    try_it.post("The front desk opens a ticket", "/tickets", json_body=TICKET, headers=FRONT_DESK)
    try_it.post(
        "The workshop opens another",
        "/tickets",
        json_body={**TICKET, "device_model": "iPhone 15"},
        headers=WORKSHOP,
    )
    try_it.get("One page, filtered by device", "/tickets?device=iphone&limit=5", headers=WORKSHOP)
    try_it.get("An offset below zero", "/tickets?offset=-1", headers=WORKSHOP)
    try_it.request(
        "Deleting a ticket that does not exist", "DELETE", "/tickets/42", headers=FRONT_DESK
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
    ticket = try_it.post("Open a ticket", "/tickets", json_body=TICKET, headers=FRONT_DESK).json()
    try_it.get("Read it back from the database", f"/tickets/{ticket['id']}", headers=FRONT_DESK)
    try_it.post(
        "Open another",
        "/tickets",
        json_body={**TICKET, "device_model": "Pixel 7a", "estimated_cost": "0.10"},
        headers=WORKSHOP,
    )
    try_it.get(
        "List the Pixels, second page of one",
        "/tickets?device=pixel&limit=1&offset=1",
        headers=FRONT_DESK,
    )
    try_it.request("Delete the first", "DELETE", f"/tickets/{ticket['id']}", headers=FRONT_DESK)
    try_it.get("Read it again", f"/tickets/{ticket['id']}", headers=FRONT_DESK)
