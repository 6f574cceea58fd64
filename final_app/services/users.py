"""Users: authentication, creation, and the admin bootstrapped at start-up."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from final_app.models import Role, User
from final_app.schemas import UserCreate, UserRead
from final_app.security import burn_password_check, hash_password, verify_password
from final_app.services.errors import ConflictError


def authenticate(session: Session, email: str, password: str) -> UserRead | None:
    """The user whose email and password these are, or None; equally slow either way."""
    user = session.scalar(select(User).where(User.email == email.lower()))
    if user is None:
        burn_password_check(password)
        return None
    if not verify_password(password, user.password_hash):
        return None
    return UserRead.model_validate(user)


def get_user(session: Session, user_id: int) -> UserRead | None:
    user = session.get(User, user_id)
    return None if user is None else UserRead.model_validate(user)


def create_user(session: Session, data: UserCreate) -> UserRead:
    if session.scalar(select(User.id).where(User.email == data.email)) is not None:
        raise ConflictError(f"A user with email {data.email} already exists")
    user = User(email=data.email, password_hash=hash_password(data.password), role=data.role)
    session.add(user)
    try:
        session.flush()
    except IntegrityError as error:  # created by a concurrent request since our check
        raise ConflictError(f"A user with email {data.email} already exists") from error
    return UserRead.model_validate(user)


def ensure_admin(session: Session, email: str, password: str) -> bool:
    """Create the admin unless a user with this email exists; True if it was created."""
    if session.scalar(select(User.id).where(User.email == email.lower())) is not None:
        return False
    session.add(User(email=email.lower(), password_hash=hash_password(password), role=Role.ADMIN))
    return True
