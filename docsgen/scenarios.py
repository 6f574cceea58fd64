"""The requests each lesson's "Try it" section shows. The responses are never written here:
`examples.py` runs these against the lesson's app and records what it answers.

Register a lesson with `@scenario("lesson_NN_topic")`; pass `client=` a factory when the app
needs more than its module-level `app` (an isolated database, a token).
"""

from collections.abc import Callable

from .examples import ClientFactory, TryIt, lesson_client

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
