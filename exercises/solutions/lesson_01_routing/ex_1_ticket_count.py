"""Exercise 01.1, solved: count the tickets.

`/tickets/count` is declared before `/tickets/{ticket_id}`: FastAPI tries routes in order, and
the other way round it would read "count" as a ticket id and refuse it with a 422.
"""

from http import HTTPStatus

from fastapi import FastAPI, HTTPException

from lessons.lesson_01_routing.app import TICKETS, Status

app = FastAPI(title="RepairDesk, exercise 01.1")


@app.get("/tickets/count")
def count_tickets(status: Status | None = None) -> dict[str, int]:
    """Count the tickets, optionally only those in one status."""
    return {"count": sum(1 for t in TICKETS.values() if status is None or t["status"] == status)}


@app.get("/tickets/{ticket_id}")
def read_ticket(ticket_id: int) -> dict[str, str | int]:
    """Read one ticket by its id."""
    if ticket_id not in TICKETS:
        raise HTTPException(HTTPStatus.NOT_FOUND, detail=f"Ticket {ticket_id} not found")
    return TICKETS[ticket_id]
