"""Dependencies every router shares, declared once as `Annotated` aliases.

All of them are `async def` and do no I/O: FastAPI runs them on the event loop, so they cost
no trip to the threadpool. The one trip a request makes is its `Database.run` call.
"""

from __future__ import annotations

from typing import Annotated, cast

from fastapi import Depends, HTTPException, Request, status
from fastapi.security import OAuth2PasswordBearer

from final_app.config import Settings
from final_app.db import Database
from final_app.models import Role
from final_app.security import InvalidTokenError, Principal, decode_access_token

TOKEN_URL = "/api/v1/auth/token"  # noqa: S105 (a URL, not a password)
oauth2_scheme = OAuth2PasswordBearer(tokenUrl=TOKEN_URL)


async def get_settings(request: Request) -> Settings:
    return cast(Settings, request.app.state.settings)


async def get_database(request: Request) -> Database:
    return cast(Database, request.app.state.database)


SettingsDep = Annotated[Settings, Depends(get_settings)]
DatabaseDep = Annotated[Database, Depends(get_database)]


# --8<-- [start:principal]
def unauthorized(detail: str = "Could not validate credentials") -> HTTPException:
    """401 with the header OAuth2 asks for: the client should (re)authenticate with a token."""
    return HTTPException(
        status_code=status.HTTP_401_UNAUTHORIZED,
        detail=detail,
        headers={"WWW-Authenticate": "Bearer"},
    )


async def get_principal(
    token: Annotated[str, Depends(oauth2_scheme)], settings: SettingsDep
) -> Principal:
    """Who is calling: checked from the token alone (signature, expiry), no database trip."""
    try:
        return decode_access_token(token, secret_key=settings.secret_key.get_secret_value())
    except InvalidTokenError:
        raise unauthorized() from None


async def require_admin(principal: Annotated[Principal, Depends(get_principal)]) -> Principal:
    if principal.role is not Role.ADMIN:
        raise HTTPException(status_code=status.HTTP_403_FORBIDDEN, detail="Admins only")
    return principal


CurrentPrincipal = Annotated[Principal, Depends(get_principal)]
AdminPrincipal = Annotated[Principal, Depends(require_admin)]
# --8<-- [end:principal]
