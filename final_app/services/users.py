"""Users: authentication, creation, and the admin bootstrapped at start-up."""

from __future__ import annotations

from dataclasses import dataclass

from pydantic import TypeAdapter, ValidationError
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from final_app.models import Role, User
from final_app.schemas import Email, UserCreate, UserRead
from final_app.security import burn_password_check, hash_password, verify_password
from final_app.services.errors import ConflictError

_EMAIL: TypeAdapter[str] = TypeAdapter(Email)


@dataclass(frozen=True, slots=True)
class Login:
    """A user and their password hash: what checking a password needs from the database."""

    user: UserRead
    password_hash: str


def find_login(session: Session, username: str) -> Login | None:
    """The user whose email `username` is, with their password hash; None if there is none."""
    try:
        email = _EMAIL.validate_python(username)
    except ValidationError:  # not an email, so nobody's; not worth a query
        return None
    user = session.scalar(select(User).where(User.email == email))
    return None if user is None else Login(UserRead.model_validate(user), user.password_hash)


def check_password(login: Login | None, password: str) -> UserRead | None:
    """The user if the password is theirs, else None; equally slow either way (no database)."""
    if login is None:
        burn_password_check(password)
        return None
    return login.user if verify_password(password, login.password_hash) else None


def get_user(session: Session, user_id: int) -> UserRead | None:
    user = session.get(User, user_id)
    return None if user is None else UserRead.model_validate(user)


def create_user(session: Session, data: UserCreate, password_hash: str) -> UserRead:
    """`password_hash` is `hash_password(data.password)`, computed before the database trip."""
    if session.scalar(select(User.id).where(User.email == data.email)) is not None:
        raise ConflictError(f"A user with email {data.email} already exists")
    user = User(email=data.email, password_hash=password_hash, role=data.role)
    session.add(user)
    try:
        session.flush()
    except IntegrityError as error:  # created by a concurrent request since our check
        raise ConflictError(f"A user with email {data.email} already exists") from error
    return UserRead.model_validate(user)


def ensure_admin(session: Session, email: str, password: str) -> bool:
    """Create the admin unless a user with this email exists; True if it was created.

    Runs at start-up, before any request: hashing inside the trip keeps no one waiting.
    """
    if session.scalar(select(User.id).where(User.email == email.lower())) is not None:
        return False
    session.add(User(email=email.lower(), password_hash=hash_password(password), role=Role.ADMIN))
    return True
