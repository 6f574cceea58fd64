"""Search tickets by device.

--8<-- [start:task]
**Ticket RD-102.** `GET /tickets/search?q=pixel` finds the tickets whose device model
contains `q`, but a technician typing `PIXEL` finds nothing, a one-letter `q` returns half the
shop, and `limit=100000` is accepted. Make the match ignore case, require `q` to be 2 to 50
characters long, and bound `limit` between 1 and 20 (default 5). A request outside these
bounds is refused with a 422 that names the parameter.
--8<-- [end:task]
"""

from fastapi import FastAPI

app = FastAPI(title="RepairDesk, exercise 01.2")

TICKETS: dict[int, dict[str, str | int]] = {
    1: {"id": 1, "device_model": "Pixel 8", "status": "received"},
    2: {"id": 2, "device_model": "iPhone 15", "status": "repairing"},
    3: {"id": 3, "device_model": "ThinkPad X1", "status": "ready"},
    4: {"id": 4, "device_model": "Pixel 7a", "status": "received"},
}


@app.get("/tickets/search")
def search_tickets(q: str, limit: int = 5) -> list[dict[str, str | int]]:
    """Find tickets whose device model contains `q`."""
    # TODO: bound `q` and `limit` with `Query(...)`, and ignore case when matching.
    matching = [t for t in TICKETS.values() if q in str(t["device_model"])]
    return matching[:limit]
