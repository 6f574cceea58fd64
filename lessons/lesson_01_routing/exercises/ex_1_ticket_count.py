"""Count the tickets.

--8<-- [start:task]
**Ticket RD-101.** The front desk wants to know how many tickets there are, without
downloading them all. Add `GET /tickets/count`, answering `{"count": 3}`: the number of
tickets, or, with the optional query parameter `status` (one of the statuses the lesson
knows), the number of tickets in that status. An unknown status is refused with a 422.
Reading one ticket, `GET /tickets/{ticket_id}`, must keep working.
--8<-- [end:task]
"""

from http import HTTPStatus

from fastapi import FastAPI, HTTPException

from lessons.lesson_01_routing.app import TICKETS

app = FastAPI(title="RepairDesk, exercise 01.1")


@app.get("/tickets/{ticket_id}")
def read_ticket(ticket_id: int) -> dict[str, str | int]:
    """Read one ticket by its id."""
    if ticket_id not in TICKETS:
        raise HTTPException(HTTPStatus.NOT_FOUND, detail=f"Ticket {ticket_id} not found")
    return TICKETS[ticket_id]


# TODO: add the route `GET /tickets/count` (see the task above).
