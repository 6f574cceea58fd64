"""Know which technician is asking.

--8<-- [start:task]
**Ticket RD-401.** The workshop wants `GET /my-tickets`: the tickets assigned to the
technician who asks. Technicians say who they are in the `X-Technician` header. Write the
dependency `get_technician`: it reads that header and returns the matching `Technician` from
`TECHNICIANS`, or refuses an unknown name with a **401** `{"detail": "Unknown technician"}`
and a `WWW-Authenticate: Technician` header: the server does not know who is asking, and a
401 says how to authenticate. A request without the header is a 422 pointing at it (FastAPI
does that for you once the header is a parameter of the dependency). The endpoint is written:
it receives the technician through `TechnicianDep`.
--8<-- [end:task]
"""

from dataclasses import dataclass
from typing import Annotated

from fastapi import Depends, FastAPI


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


def get_technician() -> Technician:
    """The technician named by the X-Technician header."""
    # TODO: read the X-Technician header and refuse an unknown name with a 401.
    raise NotImplementedError("get_technician does not read the X-Technician header yet")


TechnicianDep = Annotated[Technician, Depends(get_technician)]


@app.get("/my-tickets")
def my_tickets(technician: TechnicianDep) -> list[dict[str, str | int]]:
    """The tickets assigned to the technician who asks."""
    return [ticket for ticket in TICKETS if ticket["assigned_to"] == technician.name]
