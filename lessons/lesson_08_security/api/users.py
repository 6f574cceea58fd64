"""Users: who am I, and (admins) list, create, promote, demote or deactivate accounts."""

from __future__ import annotations

from typing import Annotated

import anyio
from fastapi import APIRouter, Depends, Path, Query, status

from .. import users
from ..db import SessionDep
from ..models import MAX_ID, User
from ..schemas import UserCreate, UserPage, UserRead, UserUpdate
from .deps import Audited, CurrentUser, PasswordsDep, require_admin
from .responses import (
    ADMIN_ONLY,
    BAD_BODY,
    CONFLICT,
    NOT_FOUND,
    SERVER_ERROR,
    UNAUTHENTICATED,
)

router = APIRouter(prefix="/users", tags=["users"], responses=SERVER_ERROR)

UserId = Annotated[int, Path(ge=1, le=MAX_ID, description="The user's id.")]


@router.get("/me", response_model=UserRead, responses=UNAUTHENTICATED)
def read_me(user: CurrentUser) -> User:
    """The user the token belongs to."""
    return user


# --8<-- [start:admin-routes]
@router.get("", responses=ADMIN_ONLY, dependencies=[Depends(require_admin)])
def list_users(
    session: SessionDep,
    limit: Annotated[int, Query(ge=1, le=100)] = 20,
    offset: Annotated[int, Query(ge=0, le=MAX_ID)] = 0,
) -> UserPage:
    """Every account, oldest first (admins only)."""
    return users.list_users(session, limit=limit, offset=offset)


@router.post(
    "",
    status_code=status.HTTP_201_CREATED,
    responses={**ADMIN_ONLY, **CONFLICT, **BAD_BODY},
    # The audit comes first, so that a refused attempt is audited too.
    dependencies=[Audited, Depends(require_admin)],
)
async def create_user(data: UserCreate, session: SessionDep, passwords: PasswordsDep) -> UserRead:
    """Create a technician or an admin (admins only); 409 if the email is taken."""
    # Hashing is slow on purpose: awaited, it holds no thread; the database work gets one.
    password_hash = await passwords.hash(data.password)
    return await anyio.to_thread.run_sync(users.create_user, session, data, password_hash)


# `:int`: only a number matches, so `PATCH /users/me` is a 405 (`/me` has GET alone), not a 422.
@router.patch(
    "/{user_id:int}",
    responses={**ADMIN_ONLY, **NOT_FOUND, **CONFLICT, **BAD_BODY},
    dependencies=[Audited, Depends(require_admin)],
)
def update_user(user_id: UserId, changes: UserUpdate, session: SessionDep) -> UserRead:
    """Promote, demote, deactivate or reactivate a user (admins only).

    It counts at the user's very next request: a demoted admin gets 403 on admin routes, a
    deactivated user 401 everywhere, and neither needs a new token for it. 409 if it would
    leave no active admin.
    """
    return users.update_user(session, user_id, changes)


# --8<-- [end:admin-routes]
