"""Give the tickets a router, under a version prefix.

--8<-- [start:task]
**Ticket RD-703.** The mobile app team wants a versioned API: every ticket route should live
under `/api/v1`, so that a `/api/v2` can come later without breaking them. Move the two ticket
routes onto an `APIRouter` named `router`, with `prefix="/tickets"` and `tags=["tickets"]`,
and include it in the app under the prefix `/api/v1`: the routes become `GET /api/v1/tickets`
and `GET /api/v1/tickets/{ticket_id}`. `GET /health` stays where it is, outside the version.
--8<-- [end:task]
"""

from http import HTTPStatus

from fastapi import FastAPI, HTTPException

TICKETS: dict[int, dict[str, str | int]] = {
    1: {"id": 1, "device_model": "Pixel 8"},
    2: {"id": 2, "device_model": "iPhone 15"},
}

# TODO: a router for the ticket routes, included in the app under /api/v1.
app = FastAPI(title="RepairDesk, exercise 07.3")


@app.get("/health")
async def health() -> dict[str, str]:
    return {"status": "ok"}


@app.get("/tickets")
def list_tickets() -> list[dict[str, str | int]]:
    return list(TICKETS.values())


@app.get("/tickets/{ticket_id}")
def read_ticket(ticket_id: int) -> dict[str, str | int]:
    if ticket_id not in TICKETS:
        raise HTTPException(HTTPStatus.NOT_FOUND, detail=f"Ticket {ticket_id} not found")
    return TICKETS[ticket_id]
