"""RepairDesk, lesson 01: a script's lookup, served over HTTP.

Path and query parameters are plain function parameters with type hints. FastAPI reads them
from the URL, converts them, rejects what does not fit with a 422, and documents every
route in the OpenAPI schema at /openapi.json, which /docs renders.
"""

from http import HTTPStatus
from typing import Annotated, Literal

from fastapi import FastAPI, HTTPException, Query

app = FastAPI(
    title="RepairDesk",
    summary="Repair tickets for a device-repair shop.",
)

# --8<-- [start:data]
# Until lesson 05 brings a database, the tickets live in memory.
Status = Literal["received", "repairing", "ready"]

TICKETS: dict[int, dict[str, str | int]] = {
    1: {"id": 1, "device_model": "Pixel 8", "status": "received"},
    2: {"id": 2, "device_model": "iPhone 15", "status": "repairing"},
    3: {"id": 3, "device_model": "ThinkPad X1", "status": "ready"},
}
# --8<-- [end:data]


# --8<-- [start:routes]
@app.get("/")
def read_root() -> dict[str, str]:
    """Say what this service is and where its interactive documentation lives."""
    return {"service": "RepairDesk", "docs": "/docs"}


@app.get("/tickets")
def list_tickets(
    status: Status | None = None,
    limit: Annotated[int, Query(ge=1, le=100)] = 10,
) -> list[dict[str, str | int]]:
    """List tickets, optionally only those in one status."""
    matching = [t for t in TICKETS.values() if status is None or t["status"] == status]
    return matching[:limit]


@app.get("/tickets/{ticket_id}")
def read_ticket(ticket_id: int) -> dict[str, str | int]:
    """Read one ticket by its id."""
    if ticket_id not in TICKETS:
        raise HTTPException(HTTPStatus.NOT_FOUND, detail=f"Ticket {ticket_id} not found")
    return TICKETS[ticket_id]


# --8<-- [end:routes]
