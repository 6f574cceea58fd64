"""Keep secrets out of responses and logs.

--8<-- [start:task]
**Ticket RD-802.** A security review of the staff endpoints found two leaks. `GET
/staff/{username}` answers the user as stored, password hash included: give it a response
model, `StaffRead`, with the username and the role only. And a failed login at `POST
/staff/login` writes the password that was tried to the log, where everyone who reads logs
can see it (a mistyped password is a real one, one typo away). Log the username only. A wrong
password must still be refused with a 400, as the token endpoint does, and logged as a warning
that names the username.
--8<-- [end:task]
"""

import logging
from dataclasses import asdict, dataclass
from http import HTTPStatus

from fastapi import FastAPI, HTTPException
from pydantic import BaseModel

from lessons.lesson_08_security.security import check_password, hash_password

security_log = logging.getLogger("repairdesk.security")


@dataclass(frozen=True)
class StaffMember:
    username: str
    role: str
    password_hash: str


STAFF = {"ada": StaffMember("ada", "admin", hash_password("correct horse battery staple"))}


class Credentials(BaseModel):
    username: str
    password: str


app = FastAPI(title="RepairDesk, exercise 08.2")


def find(username: str) -> StaffMember:
    if username not in STAFF:
        raise HTTPException(HTTPStatus.NOT_FOUND, detail="No such staff member")
    return STAFF[username]


@app.get("/staff/{username}")
def read_staff_member(username: str) -> dict[str, str]:
    """A staff member's public profile."""
    # TODO: answer through a response model without the password hash.
    return asdict(find(username))


@app.post("/staff/login")
def log_in(credentials: Credentials) -> dict[str, str]:
    """Check a staff member's password."""
    member = STAFF.get(credentials.username)
    if member is None or not check_password(credentials.password, member.password_hash)[0]:
        # TODO: never log a password, not even a wrong one.
        security_log.warning(
            "Failed login for %r with password %r", credentials.username, credentials.password
        )
        raise HTTPException(HTTPStatus.BAD_REQUEST, detail="Incorrect username or password")
    return {"username": member.username, "role": member.role}
