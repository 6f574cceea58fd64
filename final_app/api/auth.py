"""`POST /api/v1/auth/token`: the OAuth2 password flow (username = email) → a bearer token.

RFC 9700 forbids the password grant to third-party clients and OAuth 2.1 drops it: a client
that sees the password could keep it. It stays reasonable for a first-party client of its own
API, such as this desk's front end and Swagger UI; a third party would use the authorization
code flow with PKCE, through an identity provider.
"""

from __future__ import annotations

import logging
from datetime import timedelta
from typing import Annotated

from fastapi import APIRouter, Form, Response, status
from fastapi.responses import JSONResponse

from ..schemas import SignInForm, Token
from ..security import Principal, create_access_token
from ..services import logins
from ..services.logins import Throttle, TooManyAttemptsError
from .deps import DatabaseDep, PasswordsDep, SettingsDep
from .responses import BAD_BODY, OAUTH2_ERROR, SERVER_ERROR, TOO_MANY_ATTEMPTS

router = APIRouter(prefix="/api/v1/auth", tags=["auth"], responses=SERVER_ERROR)
security_log = logging.getLogger(__name__)

# RFC 6749 §5.1: a response carrying a token MUST NOT be stored by any cache.
NO_STORE = {"Cache-Control": "no-store"}


def invalid_grant() -> JSONResponse:
    """RFC 6749 §5.2: 400 with an `error` code; `detail` keeps the API's own error shape.

    One answer for an unknown email, a wrong password and a deactivated account alike.
    """
    return JSONResponse(
        {"error": "invalid_grant", "detail": "Incorrect email or password"},
        status_code=status.HTTP_400_BAD_REQUEST,
        headers=NO_STORE,
    )


# --8<-- [start:token]
# BAD_BODY first: its 400 (a body that cannot be parsed) gives way to the OAuth2 error's.
@router.post(
    "/token",
    response_model=Token,
    responses={**BAD_BODY, **OAUTH2_ERROR, **TOO_MANY_ATTEMPTS},
)
async def issue_token(
    form: Annotated[SignInForm, Form()],
    response: Response,
    database: DatabaseDep,
    passwords: PasswordsDep,
    settings: SettingsDep,
) -> Token | JSONResponse:
    """Exchange an email and password for an access token.

    Each email may try `REPAIRDESK_LOGIN_ATTEMPTS` times per window; past that, 429 with
    `Retry-After`, whatever the password, whether the account exists or not.
    """
    throttle = Throttle(settings.login_attempts, timedelta(seconds=settings.login_window_seconds))
    try:
        login = await database.run(logins.begin_login, form.username, throttle)
    except TooManyAttemptsError as error:
        return JSONResponse(
            {"detail": str(error)},
            status_code=status.HTTP_429_TOO_MANY_REQUESTS,
            headers={"Retry-After": str(error.retry_after), **NO_STORE},
        )
    # Slow on purpose, and bounded (see `Passwords`): it never holds a database thread.
    matches, new_hash = await passwords.check(
        form.password, None if login is None else login.password_hash
    )
    if login is None or not matches or not login.user.is_active:
        security_log.warning("Failed sign-in for %r", form.username)  # never the password
        return invalid_grant()
    await database.run(logins.login_succeeded, login.user, new_hash)
    token = create_access_token(
        Principal(user_id=login.user.id, role=login.user.role),
        secret_key=settings.secret_key.get_secret_value(),
        lifetime=timedelta(minutes=settings.access_token_minutes),
    )
    response.headers.update(NO_STORE)
    return Token(access_token=token, expires_in=settings.access_token_minutes * 60)


# --8<-- [end:token]
