"""Exercise 01.2, solved: search tickets by device, with bounded query parameters."""

from typing import Annotated

from fastapi import FastAPI, Query

app = FastAPI(title="RepairDesk, exercise 01.2")

TICKETS: dict[int, dict[str, str | int]] = {
    1: {"id": 1, "device_model": "Pixel 8", "status": "received"},
    2: {"id": 2, "device_model": "iPhone 15", "status": "repairing"},
    3: {"id": 3, "device_model": "ThinkPad X1", "status": "ready"},
    4: {"id": 4, "device_model": "Pixel 7a", "status": "received"},
}


@app.get("/tickets/search")
def search_tickets(
    q: Annotated[str, Query(min_length=2, max_length=50)],
    limit: Annotated[int, Query(ge=1, le=20)] = 5,
) -> list[dict[str, str | int]]:
    """Find tickets whose device model contains `q`, ignoring case."""
    needle = q.casefold()
    matching = [t for t in TICKETS.values() if needle in str(t["device_model"]).casefold()]
    return matching[:limit]
