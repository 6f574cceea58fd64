"""Exercise 08.3, solved: tokens that expire, and a reader that insists on it.

PyJWT checks `exp` whenever the claim is there; `options={"require": [...]}` makes a token
without it invalid too, so that an old, never-expiring token is refused as well.
"""

from datetime import UTC, datetime, timedelta

import jwt

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
            token, secret_key, algorithms=[ALGORITHM], options={"require": ["sub", "exp"]}
        )
        return int(claims["sub"])
    except (jwt.InvalidTokenError, KeyError, ValueError) as error:
        raise InvalidTokenError(str(error)) from None
