"""Exercise 07.3, solved: a router owns its resource's prefix; the app decides the version.

In a project, the router sits in `api/tickets.py` and the app factory includes it, as in
lesson 07. Including the same router again under `/api/v2`, changed, is how a v2 would start.
"""

from http import HTTPStatus

from fastapi import APIRouter, FastAPI, HTTPException

TICKETS: dict[int, dict[str, str | int]] = {
    1: {"id": 1, "device_model": "Pixel 8"},
    2: {"id": 2, "device_model": "iPhone 15"},
}

router = APIRouter(prefix="/tickets", tags=["tickets"])


@router.get("")
def list_tickets() -> list[dict[str, str | int]]:
    return list(TICKETS.values())


@router.get("/{ticket_id}")
def read_ticket(ticket_id: int) -> dict[str, str | int]:
    if ticket_id not in TICKETS:
        raise HTTPException(HTTPStatus.NOT_FOUND, detail=f"Ticket {ticket_id} not found")
    return TICKETS[ticket_id]


app = FastAPI(title="RepairDesk, exercise 07.3")
app.include_router(router, prefix="/api/v1")


@app.get("/health")
async def health() -> dict[str, str]:
    return {"status": "ok"}
