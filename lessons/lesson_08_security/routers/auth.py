"""Logging in: the OAuth2 password flow's token endpoint, and who the token says you are."""

import logging
from datetime import timedelta
from typing import Annotated

from fastapi import APIRouter, Depends, HTTPException
from fastapi.security import OAuth2PasswordRequestForm

from ..db import SessionDep
from ..dependencies import CurrentUser, SettingsDep
from ..models import User
from ..schemas import Token, UserRead
from ..security import create_access_token
from ..users import authenticate

router = APIRouter(tags=["auth"])
security_log = logging.getLogger("repairdesk.security")


# --8<-- [start:token]
@router.post("/auth/token")
def log_in(
    form: Annotated[OAuth2PasswordRequestForm, Depends()],
    session: SessionDep,
    settings: SettingsDep,
) -> Token:
    """Trade a username and password (a form, as OAuth2 says) for a bearer token.

    A `def` endpoint: checking an Argon2 hash takes a good fraction of a second of CPU, which
    FastAPI spends in its threadpool, never on the event loop.
    """
    user = authenticate(session, form.username, form.password)
    if user is None:
        security_log.warning("Failed login for username %r", form.username)  # never the password
        raise HTTPException(
            status_code=401,
            # The same answer for an unknown user and a wrong password.
            detail="Incorrect username or password",
            headers={"WWW-Authenticate": "Bearer"},
        )
    lifetime = timedelta(minutes=settings.access_token_minutes)
    token = create_access_token(
        user.id, secret_key=settings.secret_key.get_secret_value(), lifetime=lifetime
    )
    return Token(access_token=token, expires_in=int(lifetime.total_seconds()))


# --8<-- [end:token]


@router.get("/users/me", response_model=UserRead)
def read_current_user(user: CurrentUser) -> User:
    """Who the bearer token belongs to."""
    return user
