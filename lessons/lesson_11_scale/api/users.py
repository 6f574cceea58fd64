"""Users: who am I, and (admins) list, create, promote, demote or deactivate accounts."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Query, status

from ..models import MAX_ID
from ..schemas import UserCreate, UserPage, UserRead, UserUpdate
from ..services import users
from .deps import AdminDatabase, CurrentPrincipal, PasswordsDep, StaffDatabase
from .responses import (
    ADMIN_ONLY,
    BAD_BODY,
    CONFLICT,
    NOT_FOUND,
    SERVER_ERROR,
    UNAUTHENTICATED,
)

router = APIRouter(prefix="/api/v1/users", tags=["users"], responses=SERVER_ERROR)

UserId = Annotated[int, Path(ge=1, le=MAX_ID, description="The user's id.")]


@router.get("/me", responses=UNAUTHENTICATED)
async def read_me(principal: CurrentPrincipal, database: StaffDatabase) -> UserRead:
    """The user the token belongs to."""
    return await database.run(users.get_user, principal.user_id)


@router.get("", responses=ADMIN_ONLY)
async def list_users(
    database: AdminDatabase,
    limit: Annotated[int, Query(ge=1, le=100)] = 20,
    offset: Annotated[int, Query(ge=0, le=MAX_ID)] = 0,
) -> UserPage:
    """Every account, oldest first (admins only)."""
    return await database.run(users.list_users, limit=limit, offset=offset)


@router.post(
    "",
    status_code=status.HTTP_201_CREATED,
    responses={**ADMIN_ONLY, **CONFLICT, **BAD_BODY},
)
async def create_user(
    data: UserCreate, database: AdminDatabase, passwords: PasswordsDep
) -> UserRead:
    """Create a technician or an admin (admins only); 409 if the email is taken."""
    # Hashing is slow on purpose: done before the trip, it holds no database thread.
    password_hash = await passwords.hash(data.password)
    return await database.run(users.create_user, data, password_hash)


# `:int`: only a number matches, so `PATCH /users/me` is a 405 (`/me` has GET alone), not a 422.
@router.patch("/{user_id:int}", responses={**ADMIN_ONLY, **NOT_FOUND, **CONFLICT, **BAD_BODY})
async def update_user(user_id: UserId, changes: UserUpdate, database: AdminDatabase) -> UserRead:
    """Promote, demote, deactivate or reactivate a user (admins only).

    It counts at the user's very next request: a demoted admin gets 403 on admin routes, a
    deactivated user 401 everywhere, and neither needs a new token for it. 409 if it would
    leave no active admin.
    """
    return await database.run(users.update_user, user_id, changes)
