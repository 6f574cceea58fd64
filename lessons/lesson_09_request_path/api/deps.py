"""Dependencies: what several endpoints need, written once and handed in by FastAPI.

An endpoint declares what it needs as a parameter typed with an `Annotated[..., Depends(...)]`
alias; FastAPI calls the dependency, feeds it from the request (query, headers, other
dependencies), documents its parameters in OpenAPI, and passes the result in. Tests swap any
of them through `app.dependency_overrides`.

All of them are `async def` and do no I/O: FastAPI runs them on the event loop, so they cost
no trip to the threadpool. The one trip a request makes is its `Database.run` call.
"""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Annotated, Concatenate, ParamSpec, TypeVar

from fastapi import Depends, HTTPException, Query, Request
from fastapi.security import OAuth2PasswordBearer
from sqlalchemy.orm import Session

from ..config import Settings
from ..db import Database
from ..models import MAX_ID, Role, TicketStatus
from ..schemas import Email
from ..security import InvalidTokenError, Passwords, Principal, TokenVerifier
from ..services.users import check_account

P = ParamSpec("P")
T = TypeVar("T")


# --8<-- [start:settings]
async def get_settings(request: Request) -> Settings:
    """The settings the app was built with (see `create_app`): no global to patch in tests."""
    settings: Settings = request.app.state.settings
    return settings


SettingsDep = Annotated[Settings, Depends(get_settings)]
# --8<-- [end:settings]


# --8<-- [start:database]
async def get_database(request: Request) -> Database:
    """The app's database, which `create_app` built and the lifespan disposes of."""
    database: Database = request.app.state.database
    return database


DatabaseDep = Annotated[Database, Depends(get_database)]
# --8<-- [end:database]


# --8<-- [start:passwords]
async def get_passwords(request: Request) -> Passwords:
    """Where password checks wait for their turn; the lifespan made it (see `create_app`)."""
    passwords: Passwords = request.app.state.passwords
    return passwords


PasswordsDep = Annotated[Passwords, Depends(get_passwords)]
# --8<-- [end:passwords]


# --8<-- [start:pagination]
@dataclass(frozen=True)
class Pagination:
    """Which slice of a list the client asked for."""

    limit: int
    offset: int


async def pagination(
    limit: Annotated[int, Query(ge=1, le=100, description="How many items at most.")] = 20,
    offset: Annotated[int, Query(ge=0, le=MAX_ID, description="How many items to skip.")] = 0,
) -> Pagination:
    """A function dependency: its parameters are query parameters of every endpoint using it."""
    return Pagination(limit=limit, offset=offset)


PaginationDep = Annotated[Pagination, Depends(pagination)]
# --8<-- [end:pagination]


# --8<-- [start:filter]
@dataclass(frozen=True)
class TicketFilter:
    """Which tickets a list shows."""

    status: TicketStatus | None
    customer_email: str | None


async def ticket_filter(
    status: TicketStatus | None = None,
    customer_email: Annotated[Email | None, Query(description="Exact match.")] = None,
) -> TicketFilter:
    """A function, where lesson 08 has a class: FastAPI calls a class's `__init__` in the
    threadpool, and an `async def` runs on the event loop, with no trip there."""
    return TicketFilter(status=status, customer_email=customer_email)


TicketFilterDep = Annotated[TicketFilter, Depends(ticket_filter)]
# --8<-- [end:filter]


# Where Swagger UI's Authorize button posts the login form.
oauth2_scheme = OAuth2PasswordBearer(
    tokenUrl="/api/v1/auth/token",
    description=(
        "Access tokens are JWTs following RFC8725 (JWT best practices): signed with HS256 "
        "only, and refused without an expiry, this API as audience and the `at+jwt` type."
    ),
)


# --8<-- [start:principal]
def credentials_refused() -> HTTPException:
    # One answer for every bad token: which check failed is for the server's log only.
    return HTTPException(
        status_code=401,
        detail="Could not validate credentials",
        headers={"WWW-Authenticate": "Bearer"},  # 401 must say how to authenticate
    )


async def get_token_verifier(request: Request) -> TokenVerifier:
    """The app's `TokenVerifier`, which remembers the tokens it already checked."""
    verifier: TokenVerifier = request.app.state.token_verifier
    return verifier


async def get_principal(
    token: Annotated[str, Depends(oauth2_scheme)],
    verifier: Annotated[TokenVerifier, Depends(get_token_verifier)],
) -> Principal:
    """Who is calling: checked from the token alone (signature, expiry), no database trip."""
    try:
        return verifier.principal(token)
    except InvalidTokenError:
        raise credentials_refused() from None


CurrentPrincipal = Annotated[Principal, Depends(get_principal)]


async def require_admin(principal: CurrentPrincipal) -> Principal:
    """Authorization, after authentication: being known is not enough, the role must allow it.

    A token that never granted admin gets its 403 at once: no database trip needed to say no.
    """
    if principal.role is not Role.ADMIN:
        raise HTTPException(status_code=403, detail="Admins only")
    return principal


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
        def checked_work(session: Session) -> T:
            check_account(session, self.principal, self.needs)
            return work(session, *args, **kwargs)

        return await self.database.run(checked_work)


async def staff_database(principal: CurrentPrincipal, database: DatabaseDep) -> AuthorizedDatabase:
    return AuthorizedDatabase(database, principal)


async def admin_database(principal: AdminPrincipal, database: DatabaseDep) -> AuthorizedDatabase:
    return AuthorizedDatabase(database, principal, needs=Role.ADMIN)


# Any signed-in, active user; an active admin.
StaffDatabase = Annotated[AuthorizedDatabase, Depends(staff_database)]
AdminDatabase = Annotated[AuthorizedDatabase, Depends(admin_database)]
# --8<-- [end:authorized-database]
