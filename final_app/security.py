"""Passwords (argon2 via pwdlib) and access tokens (JWT, HS256).

A token carries the user's id and role, so checking it is pure computation: no database
trip, no thread hop. The price: a role change takes effect when the token expires, which is
why tokens are short-lived (`REPAIRDESK_ACCESS_TOKEN_MINUTES`).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from functools import cache

import jwt
from pwdlib import PasswordHash

from final_app.db import utc_now
from final_app.models import Role

ALGORITHM = "HS256"
_hasher = PasswordHash.recommended()


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def verify_password(password: str, password_hash: str) -> bool:
    return _hasher.verify(password, password_hash)


@cache
def _dummy_hash() -> str:
    return _hasher.hash("a password nobody has")


def burn_password_check(password: str) -> None:
    """Spend the time a real check takes, so a wrong email answers as slowly as a wrong password."""
    _hasher.verify(password, _dummy_hash())


class InvalidTokenError(Exception):
    """The token is malformed, forged, expired or lacks a claim."""


@dataclass(frozen=True, slots=True)
class Principal:
    """Who is calling, as the access token says."""

    user_id: int
    role: Role


# --8<-- [start:tokens]
def create_access_token(principal: Principal, *, secret_key: str, lifetime: timedelta) -> str:
    now = utc_now()
    claims = {
        "sub": str(principal.user_id),
        "role": principal.role.value,
        "iat": now,
        "exp": now + lifetime,
    }
    return jwt.encode(claims, secret_key, algorithm=ALGORITHM)


def decode_access_token(token: str, *, secret_key: str) -> Principal:
    try:
        claims = jwt.decode(
            token, secret_key, algorithms=[ALGORITHM], options={"require": ["sub", "exp", "role"]}
        )
        return Principal(user_id=int(claims["sub"]), role=Role(claims["role"]))
    except (jwt.InvalidTokenError, ValueError, TypeError) as error:
        raise InvalidTokenError(str(error)) from error


# --8<-- [end:tokens]
