"""Exercise 04.1, solved: a header read by a dependency, checked once for every endpoint.

The header is a parameter of the dependency, not of the endpoint: every endpoint that needs
the technician gets the same reading, the same 401 and the same OpenAPI documentation. An
unknown name is a 401, not a 403: the server does not know who is asking, and says how to
authenticate in `WWW-Authenticate`.
"""

from dataclasses import dataclass
from http import HTTPStatus
from typing import Annotated

from fastapi import Depends, FastAPI, Header, HTTPException


@dataclass(frozen=True)
class Technician:
    name: str


TECHNICIANS = {"ines": Technician("ines"), "tom": Technician("tom")}

TICKETS: list[dict[str, str | int]] = [
    {"id": 1, "device_model": "Pixel 8", "assigned_to": "ines"},
    {"id": 2, "device_model": "iPhone 15", "assigned_to": "tom"},
    {"id": 3, "device_model": "ThinkPad X1", "assigned_to": "ines"},
]

app = FastAPI(title="RepairDesk, exercise 04.1")


def get_technician(
    x_technician: Annotated[str, Header(description="Who is asking: a technician's name.")],
) -> Technician:
    """The technician named by the X-Technician header."""
    technician = TECHNICIANS.get(x_technician)
    if technician is None:
        raise HTTPException(
            HTTPStatus.UNAUTHORIZED,
            detail="Unknown technician",
            headers={"WWW-Authenticate": "Technician"},
        )
    return technician


TechnicianDep = Annotated[Technician, Depends(get_technician)]


@app.get("/my-tickets")
def my_tickets(technician: TechnicianDep) -> list[dict[str, str | int]]:
    """The tickets assigned to the technician who asks."""
    return [ticket for ticket in TICKETS if ticket["assigned_to"] == technician.name]
