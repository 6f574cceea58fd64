"""Passwords and access tokens, with well-kept libraries: no cryptography written here.

Passwords are hashed with Argon2id (pwdlib): slow and memory-hungry on purpose, salted, and the
hash records its own parameters, so they can be raised later. Access tokens are JWTs signed
with HMAC-SHA256 (PyJWT): the server can check one without storing it, and nobody without the
secret key can make or alter one. A token says who the user is, for which API, and until when.
"""

import asyncio
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta

import jwt
from pwdlib import PasswordHash
from pwdlib.hashers.argon2 import Argon2Hasher

# --8<-- [start:passwords]
# OWASP Password Storage Cheat Sheet, Argon2id, its first configuration: m=19 MiB, t=2, p=1.
# pwdlib's default (m=64 MiB, t=3, p=4) holds 64 MiB per hash or check: 2.5 GiB for 40 at once.
ARGON2_MEMORY_KIB = 19 * 1024  # the buffer each hash or check fills while it runs
password_hash = PasswordHash(
    (Argon2Hasher(memory_cost=ARGON2_MEMORY_KIB, time_cost=2, parallelism=1),)
)


def hash_password(password: str) -> str:
    return password_hash.hash(password)


def verify_password(password: str, hashed: str) -> bool:
    return password_hash.verify(password, hashed)


def verify_and_update(password: str, hashed: str) -> tuple[bool, str | None]:
    """Whether the password matches, and a new hash if `hashed` was made with other parameters."""
    return password_hash.verify_and_update(password, hashed)


class Passwords:
    """Argon2 work for requests: off the event loop, on `threads` threads of its own.

    Threads of its own, not just a limit on how many checks run at once: the allocator keeps
    a freed Argon2 buffer for the next one on the same thread (glibc: in that thread's arena),
    so checks made one at a time on 40 threadpool threads would keep up to 40 buffers.
    """

    def __init__(self, threads: int) -> None:
        # The checks waiting for a thread wait in its queue, holding no memory.
        self.executor = ThreadPoolExecutor(threads, thread_name_prefix="argon2")
        # Made at start-up: made on first use, it would double the first unknown user's wait.
        self.dummy_hash = hash_password("a password nobody has")

    async def check(self, password: str, hashed: str | None) -> tuple[bool, str | None]:
        """`verify_and_update`, off the event loop; for no user (None), against the dummy hash.

        An unknown username costs the same check as a wrong password: a faster answer would
        tell an attacker that the username does not exist.
        """
        valid, new_hash = await asyncio.get_running_loop().run_in_executor(
            self.executor, verify_and_update, password, hashed or self.dummy_hash
        )
        return (valid, new_hash) if hashed is not None else (False, None)

    def close(self) -> None:
        """Stop the threads (after the checks under way): when the app stops."""
        self.executor.shutdown()


# --8<-- [end:passwords]


# --8<-- [start:tokens]
ALGORITHM = "HS256"
AUDIENCE = "repairdesk-api"  # the API a token is for: refused by any other that checks `aud`
JWT_TYPE = "at+jwt"  # an access token (RFC 9068), not an ID token or another kind of JWT


class InvalidTokenError(Exception):
    """The token is malformed, forged, expired, or not an access token for this API."""


def create_access_token(user_id: int, *, secret_key: str, lifetime: timedelta) -> str:
    now = datetime.now(UTC)
    claims = {"sub": str(user_id), "aud": AUDIENCE, "iat": now, "exp": now + lifetime}
    return jwt.encode(claims, secret_key, algorithm=ALGORITHM, headers={"typ": JWT_TYPE})


def read_access_token(token: str, *, secret_key: str) -> int:
    """The id of the user the token was issued to, if the token is genuine and unexpired."""
    try:
        decoded = jwt.decode_complete(
            token,
            secret_key,
            # Only the algorithm we sign with: never "none", never one the token picks.
            algorithms=[ALGORITHM],
            audience=AUDIENCE,
            options={"require": ["sub", "aud", "exp"]},
        )
        typ = decoded["header"].get("typ")
        # RFC 9068 allows the long form of the media type too; case does not count.
        if not isinstance(typ, str) or typ.lower() not in {JWT_TYPE, f"application/{JWT_TYPE}"}:
            raise InvalidTokenError(f"not an access token: typ {typ!r}")
        return int(decoded["payload"]["sub"])
    except (jwt.InvalidTokenError, ValueError) as error:
        raise InvalidTokenError(str(error)) from None


# --8<-- [end:tokens]
