"""`POST /api/v1/auth/token`: the OAuth2 password flow (username = email) → a bearer token."""

from __future__ import annotations

from datetime import timedelta
from typing import Annotated

from fastapi import APIRouter, Depends
from fastapi.concurrency import run_in_threadpool
from fastapi.security import OAuth2PasswordRequestForm

from final_app.api.deps import DatabaseDep, SettingsDep, unauthorized
from final_app.api.responses import BAD_BODY, error
from final_app.schemas import Token
from final_app.security import Principal, create_access_token
from final_app.services import users

router = APIRouter(prefix="/api/v1/auth", tags=["auth"])


# --8<-- [start:token]
@router.post("/token", responses={401: error("Wrong email or password"), **BAD_BODY})
async def issue_token(
    form: Annotated[OAuth2PasswordRequestForm, Depends()],
    database: DatabaseDep,
    settings: SettingsDep,
) -> Token:
    """Exchange an email and password for an access token."""
    login = await database.run(users.find_login, form.username)
    # Checking a password is slow on purpose (tens of milliseconds). It runs in FastAPI's
    # general threadpool, after the query: it never holds one of the database's threads.
    user = await run_in_threadpool(users.check_password, login, form.password)
    if user is None:  # the same answer whether the email exists or not
        raise unauthorized("Incorrect email or password")
    token = create_access_token(
        Principal(user_id=user.id, role=user.role),
        secret_key=settings.secret_key.get_secret_value(),
        lifetime=timedelta(minutes=settings.access_token_minutes),
    )
    return Token(access_token=token)


# --8<-- [end:token]
