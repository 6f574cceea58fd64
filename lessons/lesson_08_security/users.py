"""Users: creating one, and checking a username and password without saying which was wrong."""

from typing import Literal

import anyio
from sqlalchemy import select
from sqlalchemy.orm import Session

from .models import User
from .security import Passwords, hash_password

Role = Literal["admin", "technician"]
ROLES: tuple[Role, ...] = ("admin", "technician")


class UsernameTakenError(Exception):
    def __init__(self, username: str) -> None:
        super().__init__(f"A user named {username!r} already exists")


def create_user(session: Session, username: str, password: str, role: Role) -> User:
    if session.scalar(select(User).where(User.username == username)) is not None:
        raise UsernameTakenError(username)
    user = User(username=username, password_hash=hash_password(password), role=role)
    session.add(user)
    session.commit()
    return user


# --8<-- [start:authenticate]
async def authenticate(
    session: Session, passwords: Passwords, username: str, password: str
) -> User | None:
    """The user, if the password is theirs; None for a wrong password and an unknown user alike.

    Called from an `async def` endpoint: the query runs in a worker thread, never on the event
    loop, and the password check waits for its turn (see `Passwords`).
    """
    user = await anyio.to_thread.run_sync(find_user, session, username)
    # No user: a check against the dummy hash all the same, so that the answer takes as long.
    valid, new_hash = await passwords.check(password, user.password_hash if user else None)
    if user is None or not valid:
        return None
    if new_hash is not None:  # hashed at older, cheaper parameters: rehashed at today's
        user.password_hash = new_hash  # saved when the request's session commits
    return user


def find_user(session: Session, username: str) -> User | None:
    return session.scalar(select(User).where(User.username == username))


# --8<-- [end:authenticate]
