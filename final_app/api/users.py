"""Users: who am I, and (admins only) create a user."""

from __future__ import annotations

from fastapi import APIRouter, status
from fastapi.concurrency import run_in_threadpool

from final_app.api.deps import AdminPrincipal, CurrentPrincipal, DatabaseDep, unauthorized
from final_app.api.responses import ADMIN_ONLY, BAD_BODY, CONFLICT, UNAUTHENTICATED
from final_app.schemas import UserCreate, UserRead
from final_app.security import hash_password
from final_app.services import users

router = APIRouter(prefix="/api/v1/users", tags=["users"])


@router.get("/me", responses=UNAUTHENTICATED)
async def read_me(principal: CurrentPrincipal, database: DatabaseDep) -> UserRead:
    """The user the token belongs to."""
    user = await database.run(users.get_user, principal.user_id)
    if user is None:  # deleted since the token was issued
        raise unauthorized()
    return user


@router.post(
    "",
    status_code=status.HTTP_201_CREATED,
    responses={**ADMIN_ONLY, **CONFLICT, **BAD_BODY},
)
async def create_user(data: UserCreate, _: AdminPrincipal, database: DatabaseDep) -> UserRead:
    """Create a technician or an admin (admins only); 409 if the email is taken."""
    # Hashing is slow on purpose: done before the trip, it holds no database thread.
    password_hash = await run_in_threadpool(hash_password, data.password)
    return await database.run(users.create_user, data, password_hash)
