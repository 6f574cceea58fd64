"""Dependencies every router shares, declared once as `Annotated` aliases.

All of them are `async def` and do no I/O: FastAPI runs them on the event loop, so they cost
no trip to the threadpool. The one trip a request makes is its `Database.run` call.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Annotated, Concatenate, ParamSpec, TypeVar, cast

from fastapi import Depends, HTTPException, Request, status
from fastapi.security import OAuth2PasswordBearer
from sqlalchemy.orm import Session

from ..config import Settings
from ..db import Database
from ..models import Role
from ..security import InvalidTokenError, Passwords, Principal, TokenVerifier
from ..services.users import check_account

P = ParamSpec("P")
T = TypeVar("T")

TOKEN_URL = "/api/v1/auth/token"  # noqa: S105 (a URL, not a password)
oauth2_scheme = OAuth2PasswordBearer(
    tokenUrl=TOKEN_URL,
    description=(
        "Access tokens are JWTs following RFC8725 (JWT best practices): signed with HS256 "
        "only, and refused without an expiry, this API as audience and the `at+jwt` type."
    ),
)


async def get_settings(request: Request) -> Settings:
    return cast(Settings, request.app.state.settings)


async def get_database(request: Request) -> Database:
    return cast(Database, request.app.state.database)


async def get_passwords(request: Request) -> Passwords:
    return cast(Passwords, request.app.state.passwords)


SettingsDep = Annotated[Settings, Depends(get_settings)]
DatabaseDep = Annotated[Database, Depends(get_database)]
PasswordsDep = Annotated[Passwords, Depends(get_passwords)]


# --8<-- [start:principal]
def unauthorized(detail: str = "Could not validate credentials") -> HTTPException:
    """401 with the header OAuth2 asks for: the client should (re)authenticate with a token."""
    return HTTPException(
        status_code=status.HTTP_401_UNAUTHORIZED,
        detail=detail,
        headers={"WWW-Authenticate": "Bearer"},
    )


async def get_token_verifier(request: Request) -> TokenVerifier:
    return cast(TokenVerifier, request.app.state.token_verifier)


async def get_principal(
    token: Annotated[str, Depends(oauth2_scheme)],
    verifier: Annotated[TokenVerifier, Depends(get_token_verifier)],
) -> Principal:
    """Who is calling: checked from the token alone (signature, expiry), no database trip."""
    try:
        return verifier.principal(token)
    except InvalidTokenError:
        raise unauthorized() from None


async def require_admin(principal: Annotated[Principal, Depends(get_principal)]) -> Principal:
    """403 at once for a token that never granted admin: no database trip needed to say no."""
    if principal.role is not Role.ADMIN:
        raise HTTPException(status_code=status.HTTP_403_FORBIDDEN, detail="Admins only")
    return principal


CurrentPrincipal = Annotated[Principal, Depends(get_principal)]
AdminPrincipal = Annotated[Principal, Depends(require_admin)]
# --8<-- [end:principal]


# --8<-- [start:authorized-database]
@dataclass(frozen=True, slots=True)
class AuthorizedDatabase:
    """`Database.run` for a caller whose account is checked inside the same trip.

    The token proves who signed in and with which role; only the database knows whether the
    account is still active and still has that role. Checking it in the request's own
    transaction costs one primary-key read and no extra thread hop.
    """

    database: Database
    principal: Principal
    needs: Role | None = None

    async def run(
        self, work: Callable[Concatenate[Session, P], T], /, *args: P.args, **kwargs: P.kwargs
    ) -> T:
        return await self.database.run(self._checked(work), *args, **kwargs)

    async def read(
        self, work: Callable[Concatenate[Session, P], T], /, *args: P.args, **kwargs: P.kwargs
    ) -> T:
        """`run` for work that only reads: outside a transaction, as `Database.read` runs it."""
        return await self.database.read(self._checked(work), *args, **kwargs)

    def _checked(
        self, work: Callable[Concatenate[Session, P], T]
    ) -> Callable[Concatenate[Session, P], T]:
        def checked_work(session: Session, /, *args: P.args, **kwargs: P.kwargs) -> T:
            check_account(session, self.principal, self.needs)
            return work(session, *args, **kwargs)

        return checked_work


async def staff_database(principal: CurrentPrincipal, database: DatabaseDep) -> AuthorizedDatabase:
    return AuthorizedDatabase(database, principal)


async def admin_database(principal: AdminPrincipal, database: DatabaseDep) -> AuthorizedDatabase:
    return AuthorizedDatabase(database, principal, needs=Role.ADMIN)


# Any signed-in, active user; an active admin.
StaffDatabase = Annotated[AuthorizedDatabase, Depends(staff_database)]
AdminDatabase = Annotated[AuthorizedDatabase, Depends(admin_database)]
# --8<-- [end:authorized-database]
