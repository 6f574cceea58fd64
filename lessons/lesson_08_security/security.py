"""Passwords (Argon2id via pwdlib) and access tokens (JWT, HS256).

A token carries the user's id and the role they had when they signed in, signed: nobody
without the secret key can make or alter one. It is a grant that can only shrink: every request
that uses it also reads the account (`api.deps.get_current_user`), so a deactivation or a
demotion takes effect at once.
"""

from __future__ import annotations

import asyncio
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import timedelta

import jwt
from pwdlib import PasswordHash
from pwdlib.hashers.argon2 import Argon2Hasher

from .db import utc_now
from .models import Role

# --8<-- [start:passwords]
# Argon2id with the OWASP Password Storage Cheat Sheet's first configuration: 19 MiB of memory,
# 2 passes, 1 lane. Memory-hard on purpose (a GPU cannot run thousands at once), which is also
# what a server must budget for: each hash or check holds ARGON2_MEMORY_KIB while it runs.
# pwdlib's default (64 MiB, 3 passes, 4 lanes) would cost 64 MiB per concurrent login.
ARGON2_MEMORY_KIB = 19 * 1024
_hasher = PasswordHash((Argon2Hasher(time_cost=2, memory_cost=ARGON2_MEMORY_KIB, parallelism=1),))


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def check_password(password: str, password_hash: str) -> tuple[bool, str | None]:
    """Whether the password matches, and a new hash when the stored one used older parameters.

    Raising the cost above then upgrades each user's hash at their next successful login.
    """
    return _hasher.verify_and_update(password, password_hash)


class Passwords:
    """Hashing and checking passwords off the event loop, on `at_once` threads of their own.

    Unbounded, forty concurrent logins (FastAPI's threadpool holds 40 threads) would hold forty
    Argon2 buffers at once; bounded, the rest wait their turn holding nothing, so anyone's
    flood of wrong passwords costs `at_once * 19 MiB`, not an out-of-memory kill. Threads of
    their own, not a limit on shared ones: the allocator keeps a freed buffer for the next one
    on the same thread (glibc: in its arena), so each thread that ever ran a check keeps one.
    """

    def __init__(self, at_once: int) -> None:
        self._threads = ThreadPoolExecutor(at_once, thread_name_prefix="argon2")
        # For unknown users (see `check`). Made now, at start-up: made on first use, it would
        # make the first unknown email's answer twice as slow as a real user's.
        self._dummy_hash = hash_password("a password nobody has")

    async def hash(self, password: str) -> str:
        loop = asyncio.get_running_loop()
        return await loop.run_in_executor(self._threads, hash_password, password)

    async def check(self, password: str, password_hash: str | None) -> tuple[bool, str | None]:
        """`check_password`; with no hash (no such user) it checks a dummy one, just as slowly,
        so the answer's timing does not tell which emails have an account."""
        loop = asyncio.get_running_loop()
        if password_hash is None:
            await loop.run_in_executor(self._threads, check_password, password, self._dummy_hash)
            return False, None
        return await loop.run_in_executor(self._threads, check_password, password, password_hash)

    def close(self) -> None:
        """Stop the threads (after the work under way): when the app stops."""
        self._threads.shutdown()


# --8<-- [end:passwords]


class InvalidTokenError(Exception):
    """The token is malformed, forged, expired, meant for another API or lacks a claim."""


@dataclass(frozen=True, slots=True)
class Principal:
    """Who is calling, as the access token says."""

    user_id: int
    role: Role


# --8<-- [start:tokens]
ALGORITHM = "HS256"
# RFC 9068: an access token says what it is (`typ`) and whom it is for (`aud`), so a token
# signed with the same key for another purpose or another service cannot pass for one here.
TOKEN_TYPE = "at+jwt"  # noqa: S105 (a media type, not a password)
AUDIENCE = "repairdesk-api"


def create_access_token(principal: Principal, *, secret_key: str, lifetime: timedelta) -> str:
    now = utc_now()
    claims = {
        "sub": str(principal.user_id),
        "role": principal.role.value,
        "aud": AUDIENCE,
        "iat": now,
        "exp": now + lifetime,
    }
    return jwt.encode(claims, secret_key, algorithm=ALGORITHM, headers={"typ": TOKEN_TYPE})


def decode_access_token(token: str, *, secret_key: str) -> Principal:
    """The principal a genuine, unexpired token names."""
    try:
        decoded = jwt.decode_complete(
            token,
            secret_key,
            algorithms=[ALGORITHM],  # only ours: never "none", never one the token picks
            audience=AUDIENCE,
            options={"require": ["sub", "exp", "aud", "role"]},
        )
        typ = decoded["header"].get("typ")
        # RFC 9068 allows the long form of the media type too; case does not count.
        if not isinstance(typ, str) or typ.lower() not in {TOKEN_TYPE, f"application/{TOKEN_TYPE}"}:
            raise InvalidTokenError(f"not an access token (typ is {typ!r})")
        claims = decoded["payload"]
        return Principal(user_id=int(claims["sub"]), role=Role(claims["role"]))
    except (jwt.InvalidTokenError, ValueError, TypeError) as error:
        raise InvalidTokenError(str(error)) from error


# --8<-- [end:tokens]
