"""Users: managing accounts (admins, through the API), and the admin created at start-up."""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from .models import Role, User
from .schemas import UserCreate, UserPage, UserRead, UserUpdate


class ConflictError(Exception):
    """The request contradicts the current state (HTTP 409)."""


class UserNotFoundError(Exception):
    def __init__(self, user_id: int) -> None:
        super().__init__(f"User {user_id} not found")


def list_users(session: Session, *, limit: int, offset: int) -> UserPage:
    total = session.scalar(select(func.count()).select_from(User)) or 0
    users = session.scalars(select(User).order_by(User.id).limit(limit).offset(offset))
    return UserPage(
        items=[UserRead.model_validate(user) for user in users],
        total=total,
        limit=limit,
        offset=offset,
    )


def create_user(session: Session, data: UserCreate, password_hash: str) -> UserRead:
    """`password_hash` is the hash of `data.password`, computed before the database trip."""
    if session.scalar(select(User.id).where(User.email == data.email)) is not None:
        raise ConflictError(f"A user with email {data.email} already exists")
    user = User(email=data.email, password_hash=password_hash, role=data.role)
    session.add(user)
    try:
        session.flush()
    except IntegrityError as error:  # created by a concurrent request since our check
        raise ConflictError(f"A user with email {data.email} already exists") from error
    return UserRead.model_validate(user)


# --8<-- [start:update-user]
def update_user(session: Session, user_id: int, changes: UserUpdate) -> UserRead:
    """Change a user's role or deactivate them; never leave the desk without an active admin.

    Two admins demoting each other at the same moment must not both succeed. So the active
    admins are locked first (PostgreSQL's `FOR UPDATE`: the second request waits for the first
    to commit), and the count is made after our own change is written (SQLite lets one writer
    in at a time, so by then it sees the other's committed change).
    """
    session.execute(
        select(User.id).where(User.role == Role.ADMIN, User.is_active).with_for_update()
    )
    user = session.get(User, user_id)
    if user is None:
        raise UserNotFoundError(user_id)
    for field, value in changes.model_dump(exclude_unset=True).items():
        setattr(user, field, value)
    session.flush()
    active_admins = select(func.count()).where(User.role == Role.ADMIN, User.is_active)
    if session.scalar(active_admins) == 0:
        raise ConflictError("This is the last active admin: make another admin first")
    return UserRead.model_validate(user)


# --8<-- [end:update-user]


def ensure_admin(session: Session, email: str, password_hash: str) -> bool:
    """Create the admin unless a user with this email exists; True if it was created."""
    if session.scalar(select(User.id).where(User.email == email.lower())) is not None:
        return False
    session.add(User(email=email.lower(), password_hash=password_hash, role=Role.ADMIN))
    return True
