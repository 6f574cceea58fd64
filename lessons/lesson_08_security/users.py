"""Users: managing accounts (lesson 08 creates them from the command line)."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from .models import User
from .schemas import UserCreate, UserRead


class ConflictError(Exception):
    """The request contradicts the current state (HTTP 409)."""


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
