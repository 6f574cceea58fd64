"""Users: creating one, and checking a username and password without saying which was wrong."""

from typing import Literal

from sqlalchemy import select
from sqlalchemy.orm import Session

from .models import User
from .security import dummy_hash, hash_password, verify_password

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
def authenticate(session: Session, username: str, password: str) -> User | None:
    """The user, if the password is theirs; None for a wrong password and an unknown user alike."""
    user = session.scalar(select(User).where(User.username == username))
    if user is None:
        # Spend the time a real check takes: a fast answer would reveal the username is unknown.
        verify_password(password, dummy_hash())
        return None
    return user if verify_password(password, user.password_hash) else None


# --8<-- [end:authenticate]
