"""Exercise 08.2, solved: an output model that cannot leak, and a log line without secrets.

The response model filters: even though the endpoint returns the stored record, only the
fields of `StaffRead` leave the server. The log names who tried, never what they tried.
"""

import logging
from dataclasses import dataclass
from http import HTTPStatus

from fastapi import FastAPI, HTTPException
from pydantic import BaseModel, ConfigDict

from lessons.lesson_08_security.security import check_password, hash_password

security_log = logging.getLogger("repairdesk.security")


@dataclass(frozen=True)
class StaffMember:
    username: str
    role: str
    password_hash: str


STAFF = {"ada": StaffMember("ada", "admin", hash_password("correct horse battery staple"))}


class StaffRead(BaseModel):
    """What anyone may know about a staff member."""

    model_config = ConfigDict(from_attributes=True)

    username: str
    role: str


class Credentials(BaseModel):
    username: str
    password: str


app = FastAPI(title="RepairDesk, exercise 08.2")


def find(username: str) -> StaffMember:
    if username not in STAFF:
        raise HTTPException(HTTPStatus.NOT_FOUND, detail="No such staff member")
    return STAFF[username]


@app.get("/staff/{username}")
def read_staff_member(username: str) -> StaffRead:
    """A staff member's public profile."""
    return StaffRead.model_validate(find(username))


@app.post("/staff/login")
def log_in(credentials: Credentials) -> dict[str, str]:
    """Check a staff member's password."""
    member = STAFF.get(credentials.username)
    if member is None or not check_password(credentials.password, member.password_hash)[0]:
        security_log.warning("Failed login for %r", credentials.username)
        raise HTTPException(HTTPStatus.BAD_REQUEST, detail="Incorrect username or password")
    return {"username": member.username, "role": member.role}
