"""Dependencies: what several endpoints need, written once and handed in by FastAPI.

An endpoint declares what it needs as a parameter typed with an `Annotated[..., Depends(...)]`
alias; FastAPI calls the dependency, feeds it from the request (query, headers, other
dependencies), documents its parameters in OpenAPI, and passes the result in. Tests swap any
of them through `app.dependency_overrides`.
"""

import logging
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Annotated, TypeVar

from fastapi import Depends, HTTPException, Query, Request
from fastapi.security import OAuth2PasswordBearer
from sqlalchemy import GenerativeSelect, Select

from ..config import Settings
from ..db import SessionDep
from ..models import MAX_ID, Role, Ticket, TicketStatus, User
from ..security import InvalidTokenError, Passwords, decode_access_token

SelectT = TypeVar("SelectT", bound=GenerativeSelect)


# --8<-- [start:settings]
def get_settings(request: Request) -> Settings:
    """The settings the app was built with (see `create_app`): no global to patch in tests."""
    settings: Settings = request.app.state.settings
    return settings


SettingsDep = Annotated[Settings, Depends(get_settings)]
# --8<-- [end:settings]


# --8<-- [start:passwords]
def get_passwords(request: Request) -> Passwords:
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

    def apply(self, query: SelectT) -> SelectT:
        return query.offset(self.offset).limit(self.limit)


def pagination(
    limit: Annotated[int, Query(ge=1, le=100, description="How many items at most.")] = 10,
    offset: Annotated[int, Query(ge=0, le=MAX_ID, description="How many items to skip.")] = 0,
) -> Pagination:
    """A function dependency: its parameters are query parameters of every endpoint using it."""
    return Pagination(limit=limit, offset=offset)


PaginationDep = Annotated[Pagination, Depends(pagination)]
# --8<-- [end:pagination]


# --8<-- [start:filter]
class TicketFilter:
    """Which tickets a list shows. A class is a dependency too: FastAPI calls `__init__`."""

    def __init__(
        self,
        status: TicketStatus | None = None,
        device: Annotated[
            str | None,
            Query(max_length=50, description="Only devices whose name contains this, any case."),
        ] = None,
    ) -> None:
        self.status = status
        self.device = device or None

    def apply(self, query: Select[Ticket]) -> Select[Ticket]:
        if self.status is not None:
            query = query.where(Ticket.status == self.status)
        if self.device is not None:
            # autoescape: a client's "%" or "_" is a character to find, not a LIKE wildcard.
            query = query.where(Ticket.device_model.icontains(self.device, autoescape=True))
        return query


# Depends() with no argument: the annotated class is the dependency.
TicketFilterDep = Annotated[TicketFilter, Depends()]
# --8<-- [end:filter]


# --8<-- [start:current-user]
security_log = logging.getLogger(__name__)

# Where Swagger UI's Authorize button posts the login form. Relative, like the other URLs
# in the OpenAPI document, so it keeps working behind a path prefix.
oauth2_scheme = OAuth2PasswordBearer(
    tokenUrl="auth/token",
    description=(
        "Access tokens are JWTs following RFC8725 (JWT best practices): signed with HS256 "
        "only, and refused without an expiry, this API as audience and the `at+jwt` type."
    ),
)


def credentials_refused() -> HTTPException:
    # One answer for every bad token: which check failed is for the server's log only.
    return HTTPException(
        status_code=401,
        detail="Could not validate credentials",
        headers={"WWW-Authenticate": "Bearer"},  # 401 must say how to authenticate
    )


def get_current_user(
    token: Annotated[str, Depends(oauth2_scheme)], settings: SettingsDep, session: SessionDep
) -> User:
    """The user the bearer token was issued to, if the token is genuine and unexpired.

    Read on every request: a user deactivated, deleted or demoted since signing in is refused
    at once, though their token is still genuine.
    """
    try:
        principal = decode_access_token(token, secret_key=settings.secret_key.get_secret_value())
    except InvalidTokenError as error:
        security_log.info("Refused a token: %s", error)
        raise credentials_refused() from None
    user = session.get(User, principal.user_id)
    if user is None or not user.is_active:
        raise credentials_refused()
    return user


CurrentUser = Annotated[User, Depends(get_current_user)]


def require_admin(user: CurrentUser) -> User:
    """Authorization, after authentication: being known is not enough, the role must allow it."""
    if user.role is not Role.ADMIN:  # the role the account has now, not the token's
        raise HTTPException(status_code=403, detail="Admins only")
    return user


# --8<-- [end:current-user]


# --8<-- [start:audit]
audit_log = logging.getLogger("repairdesk.audit")


def audit(request: Request, user: CurrentUser) -> Iterator[None]:
    """Record who changed what, and how it ended, including when the endpoint raised.

    The code before `yield` runs before the endpoint; the code after it once the endpoint is
    done. An exception raised by the endpoint is raised again at the `yield`.
    """
    action = f"{request.method} {request.url.path}"
    # Read now: after the endpoint, the user's session is closed and its rows unreadable.
    email = user.email
    try:
        yield
    except Exception as error:
        audit_log.warning("%s: %s failed (%s)", email, action, type(error).__name__)
        raise  # swallowing it would turn the endpoint's error into a broken response
    audit_log.info("%s: %s done", email, action)


# For endpoints that need the audit but not a value from it: `dependencies=[Audited]`.
Audited = Depends(audit)
# --8<-- [end:audit]
