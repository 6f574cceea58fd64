"""Exercise 08.1, solved: a dependency factory for roles, used where each operation needs it.

`require_role("admin")` is called once, when the route is declared, and returns the
dependency FastAPI calls on every request. It builds on `CurrentUser`, so authentication
(401) always runs before authorization (403).
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
        if user.role not in roles:
            raise HTTPException(HTTPStatus.FORBIDDEN, detail=f"Requires role: {' or '.join(roles)}")
        return user

    return check_role


app = FastAPI(title="RepairDesk, exercise 08.1")


@app.post("/tickets/{ticket_id}/ready")
def mark_ready(
    ticket_id: int, user: Annotated[User, Depends(require_role("technician", "admin"))]
) -> dict[str, str | int]:
    """The workshop says a repair is done."""
    return {"ticket_id": ticket_id, "status": "ready", "by": user.username}


@app.delete("/tickets/{ticket_id}", status_code=HTTPStatus.NO_CONTENT)
def delete_ticket(ticket_id: int, user: Annotated[User, Depends(require_role("admin"))]) -> None:
    """Delete a ticket opened by mistake: admins only."""
