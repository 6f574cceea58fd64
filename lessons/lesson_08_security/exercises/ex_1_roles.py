"""Let only the right roles in.

--8<-- [start:task]
**Ticket RD-801.** Anyone logged in can mark a repair ready, and anyone can delete a ticket.
Finish `require_role(*roles)`: it returns a dependency that lets through a user whose role is
one of `roles`, and refuses anyone else with a **403**
`{"detail": "Requires role: technician or admin"}` (the roles joined by `" or "`). Deleting
already uses `require_role("admin")`; make `POST /tickets/{ticket_id}/ready` use
`require_role("technician", "admin")` too. Authentication is done: `get_current_user`
answers 401 to a request without a valid token, so a 403 always means "known, not allowed".
--8<-- [end:task]
"""

from collections.abc import Callable
from dataclasses import dataclass
from http import HTTPStatus
from typing import Annotated

from fastapi import Depends, FastAPI, HTTPException
from fastapi.security import OAuth2PasswordBearer


@dataclass(frozen=True)
class User:
    username: str
    role: str


# Stand-ins for lesson 08's JWTs, so that this exercise is about roles only.
TOKENS = {
    "ada-token": User("ada", "admin"),
    "tom-token": User("tom", "technician"),
    "fred-token": User("fred", "front desk"),
}

oauth2_scheme = OAuth2PasswordBearer(tokenUrl="auth/token")


def get_current_user(token: Annotated[str, Depends(oauth2_scheme)]) -> User:
    """Authentication: who the token belongs to."""
    user = TOKENS.get(token)
    if user is None:
        raise HTTPException(
            HTTPStatus.UNAUTHORIZED,
            detail="Could not validate credentials",
            headers={"WWW-Authenticate": "Bearer"},
        )
    return user


CurrentUser = Annotated[User, Depends(get_current_user)]


def require_role(*roles: str) -> Callable[[User], User]:
    """Authorization: a dependency that lets through only users with one of `roles`."""

    def check_role(user: CurrentUser) -> User:
        # TODO: refuse a user whose role is not one of `roles` with a 403.
        return user

    return check_role


app = FastAPI(title="RepairDesk, exercise 08.1")


@app.post("/tickets/{ticket_id}/ready")
def mark_ready(ticket_id: int, user: CurrentUser) -> dict[str, str | int]:
    """The workshop says a repair is done."""
    # TODO: only a technician or an admin may do this.
    return {"ticket_id": ticket_id, "status": "ready", "by": user.username}


@app.delete("/tickets/{ticket_id}", status_code=HTTPStatus.NO_CONTENT)
def delete_ticket(ticket_id: int, user: Annotated[User, Depends(require_role("admin"))]) -> None:
    """Delete a ticket opened by mistake: admins only."""
