"""Make access tokens expire.

--8<-- [start:task]
**Ticket RD-803.** A token stolen from a technician's laptop works forever:
`create_access_token` puts no expiry in it. Make `create_access_token` add an `exp` claim,
`lifetime` from now, and make `read_access_token` require `exp` and refuse an expired token, by
raising `InvalidTokenError` as it does for a forged one. A genuine, unexpired token still gives
the user's id.
--8<-- [end:task]
"""

from datetime import UTC, datetime, timedelta

import jwt

ALGORITHM = "HS256"


class InvalidTokenError(Exception):
    """The token is malformed, forged, expired, or does not name a user."""


def create_access_token(user_id: int, *, secret_key: str, lifetime: timedelta) -> str:
    # TODO: the token must expire `lifetime` from now.
    claims = {"sub": str(user_id), "iat": datetime.now(UTC)}
    return jwt.encode(claims, secret_key, algorithm=ALGORITHM)


def read_access_token(token: str, *, secret_key: str) -> int:
    """The id of the user the token was issued to, if the token is genuine and unexpired."""
    try:
        # TODO: require the `exp` claim (PyJWT then refuses an expired token).
        claims = jwt.decode(token, secret_key, algorithms=[ALGORITHM])
        return int(claims["sub"])
    except (jwt.InvalidTokenError, KeyError, ValueError) as error:
        raise InvalidTokenError(str(error)) from None
