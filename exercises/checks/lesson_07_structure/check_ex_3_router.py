"""Checks the versioned routes, the router's tag, and that `/health` stayed outside.

--8<-- [start:hint]
`router = APIRouter(prefix="/tickets", tags=["tickets"])`, then decorate the two functions
with `@router.get("")` and `@router.get("/{ticket_id}")` instead of `@app.get(...)`. After the
routes are declared, `app.include_router(router, prefix="/api/v1")` adds them to the app: the
two prefixes add up.
--8<-- [end:hint]
"""

from types import ModuleType

from fastapi import APIRouter
from fastapi.testclient import TestClient

from exercises.checks.words import answered

TICKET_PATHS = {"/api/v1/tickets", "/api/v1/tickets/{ticket_id}"}


def test_the_ticket_routes_are_under_api_v1(client: TestClient) -> None:
    paths = set(client.get("/openapi.json").json()["paths"])
    assert paths == {*TICKET_PATHS, "/health"}, (
        f"the API should have {sorted({*TICKET_PATHS, '/health'})}; it has {sorted(paths)}"
    )


def test_reading_a_ticket_works_under_the_new_path(client: TestClient) -> None:
    response = client.get("/api/v1/tickets/2")
    assert response.status_code == 200, answered("GET /api/v1/tickets/2", response, 200)
    assert response.json()["device_model"] == "iPhone 15"
    missing = client.get("/api/v1/tickets/9")
    assert missing.status_code == 404, answered("GET /api/v1/tickets/9", missing, 404)


def test_the_ticket_routes_are_tagged(client: TestClient) -> None:
    paths = client.get("/openapi.json").json()["paths"]
    for path in TICKET_PATHS & set(paths):
        tags = paths[path]["get"].get("tags", [])
        assert tags == ["tickets"], (
            f"GET {path} should be tagged ['tickets'] in /docs; it has {tags}"
        )


def test_the_routes_come_from_a_router(module: ModuleType) -> None:
    router = getattr(module, "router", None)
    assert isinstance(router, APIRouter), "the file should define `router`, an APIRouter"
    assert router.prefix == "/tickets", (
        f"the router's prefix should be /tickets, not {router.prefix!r}"
    )
