"""Exercise 01.3, solved: path parameters constrained by their types.

`Path(ge=1)` bounds a path parameter as `Query(...)` bounds a query parameter, and a `Literal`
type restricts a path segment to known values; both are checked, and documented, by FastAPI.
"""

from http import HTTPStatus
from typing import Annotated

from fastapi import FastAPI, HTTPException, Path

from lessons.lesson_01_routing.app import TICKETS, Status

app = FastAPI(title="RepairDesk, exercise 01.3")


@app.get("/tickets/{ticket_id}")
def read_ticket(ticket_id: Annotated[int, Path(ge=1)]) -> dict[str, str | int]:
    """Read one ticket by its id."""
    if ticket_id not in TICKETS:
        raise HTTPException(HTTPStatus.NOT_FOUND, detail=f"Ticket {ticket_id} not found")
    return TICKETS[ticket_id]


@app.get("/statuses/{status}/tickets")
def tickets_in_status(status: Status) -> list[dict[str, str | int]]:
    """The tickets in one status."""
    return [ticket for ticket in TICKETS.values() if ticket["status"] == status]
