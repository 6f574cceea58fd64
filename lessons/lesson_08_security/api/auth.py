"""Logging in: the OAuth2 password flow's token endpoint, and who the token says you are."""

import logging
from datetime import timedelta
from http import HTTPStatus
from typing import Annotated, Any

import anyio
from fastapi import APIRouter, Depends, Response
from fastapi.security import OAuth2PasswordRequestForm

from ..db import SessionDep
from ..errors import LoginRefusedError
from ..models import User
from ..schemas import Token, UserRead
from ..security import create_access_token
from ..throttle import LoginThrottle
from ..users import authenticate
from .deps import CurrentUser, PasswordsDep, SettingsDep

router = APIRouter(tags=["auth"])
security_log = logging.getLogger("repairdesk.security")

LOGIN_ERRORS: dict[int | str, dict[str, Any]] = {
    HTTPStatus.BAD_REQUEST.value: {"description": "Incorrect username or password."},
    HTTPStatus.TOO_MANY_REQUESTS.value: {
        "description": "Too many attempts for this username.",
        "headers": {
            "Retry-After": {"description": "Seconds to wait.", "schema": {"type": "integer"}}
        },
    },
}


# --8<-- [start:token]
@router.post("/auth/token", responses=LOGIN_ERRORS)
async def log_in(
    form: Annotated[OAuth2PasswordRequestForm, Depends()],
    session: SessionDep,
    settings: SettingsDep,
    passwords: PasswordsDep,
    response: Response,
) -> Token:
    """Trade a username and password (a form, as OAuth2 says) for a bearer token.

    `async def`, unlike its neighbours: a login waiting for its turn at the password check
    waits on the event loop, holding no thread. As a `def`, each waiting login would hold one
    of the threadpool's 40 threads, and a burst of logins would starve every other request.
    """
    throttle = LoginThrottle(
        settings.login_attempts, timedelta(seconds=settings.login_window_seconds)
    )
    # Charged before the password is checked: a 429 costs no Argon2 work either.
    await anyio.to_thread.run_sync(throttle.charge, session, form.username)
    user = await authenticate(session, passwords, form.username, form.password)
    if user is None:
        security_log.warning("Failed login for username %r", form.username)  # never the password
        raise LoginRefusedError  # the same answer for an unknown user and a wrong password
    await anyio.to_thread.run_sync(throttle.reset, session, form.username)
    lifetime = timedelta(minutes=settings.access_token_minutes)
    token = create_access_token(
        user.id, secret_key=settings.secret_key.get_secret_value(), lifetime=lifetime
    )
    response.headers["Cache-Control"] = "no-store"  # RFC 6749, section 5.1: a MUST for tokens
    return Token(access_token=token, expires_in=int(lifetime.total_seconds()))


# --8<-- [end:token]


@router.get("/users/me", response_model=UserRead)
def read_current_user(user: CurrentUser) -> User:
    """Who the bearer token belongs to."""
    return user
