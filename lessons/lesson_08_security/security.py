"""Passwords and access tokens, with well-kept libraries: no cryptography written here.

Passwords are hashed with Argon2 (pwdlib): slow on purpose, salted, and the hash records its
own parameters, so they can be raised later. Access tokens are JWTs signed with HMAC-SHA256
(PyJWT): the server can check one without storing it, and nobody without the secret key can
make or alter one. A token says who the user is and until when; nothing more.
"""

from datetime import UTC, datetime, timedelta
from functools import cache

import jwt
from pwdlib import PasswordHash

# --8<-- [start:passwords]
password_hash = PasswordHash.recommended()  # Argon2id with today's recommended parameters


def hash_password(password: str) -> str:
    return password_hash.hash(password)


def verify_password(password: str, hashed: str) -> bool:
    return password_hash.verify(password, hashed)


@cache
def dummy_hash() -> str:
    """A hash to check against when the username is unknown (see `users.authenticate`)."""
    return password_hash.hash("a password nobody has")


# --8<-- [end:passwords]


# --8<-- [start:tokens]
ALGORITHM = "HS256"


class InvalidTokenError(Exception):
    """The token is malformed, forged, expired, or does not name a user."""


def create_access_token(user_id: int, *, secret_key: str, lifetime: timedelta) -> str:
    now = datetime.now(UTC)
    claims = {"sub": str(user_id), "iat": now, "exp": now + lifetime}
    return jwt.encode(claims, secret_key, algorithm=ALGORITHM)


def read_access_token(token: str, *, secret_key: str) -> int:
    """The id of the user the token was issued to, if the token is genuine and unexpired."""
    try:
        claims = jwt.decode(
            token,
            secret_key,
            # Only the algorithm we sign with: never "none", never one the token picks.
            algorithms=[ALGORITHM],
            options={"require": ["sub", "exp"]},
        )
        return int(claims["sub"])
    except (jwt.InvalidTokenError, ValueError) as error:
        raise InvalidTokenError(str(error)) from None


# --8<-- [end:tokens]
