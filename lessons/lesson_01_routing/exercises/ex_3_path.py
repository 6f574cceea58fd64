"""Constrain the path parameters.

--8<-- [start:task]
**Ticket RD-103.** `GET /tickets/0` and `GET /tickets/-5` answer 404, as if such tickets might
exist; ids start at 1, so these requests are malformed: refuse them with a 422 pointing at
`ticket_id`. Then add `GET /statuses/{status}/tickets`, the tickets in one status, where the
path parameter `status` accepts only the lesson's statuses (`Status`): any other value is a
422 pointing at `status`. An unknown but valid id stays a 404.
--8<-- [end:task]
"""

from http import HTTPStatus

from fastapi import FastAPI, HTTPException

from lessons.lesson_01_routing.app import TICKETS

app = FastAPI(title="RepairDesk, exercise 01.3")


@app.get("/tickets/{ticket_id}")
def read_ticket(ticket_id: int) -> dict[str, str | int]:
    """Read one ticket by its id."""
    # TODO: ids start at 1; and add GET /statuses/{status}/tickets.
    if ticket_id not in TICKETS:
        raise HTTPException(HTTPStatus.NOT_FOUND, detail=f"Ticket {ticket_id} not found")
    return TICKETS[ticket_id]
