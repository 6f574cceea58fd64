"""Checks that tokens carry `exp`, and that expired or expiry-less tokens are refused.

--8<-- [start:hint]
`exp` is a `datetime` in the claims: `"exp": now + lifetime`, where `now =
datetime.now(UTC)` (PyJWT turns it into a timestamp). When decoding,
`jwt.decode(token, secret_key, algorithms=[ALGORITHM], options={"require": ["sub", "exp"]})`
refuses a token without `exp`, and PyJWT refuses an expired one by itself
(`jwt.ExpiredSignatureError`, a kind of `jwt.InvalidTokenError`).
--8<-- [end:hint]
"""

from datetime import UTC, datetime, timedelta
from types import ModuleType

import jwt

KEY = "a-test-secret-key-that-is-long-enough-for-hs256"


def test_a_token_expires_after_its_lifetime(module: ModuleType) -> None:
    token = module.create_access_token(7, secret_key=KEY, lifetime=timedelta(minutes=15))
    claims = jwt.decode(token, KEY, algorithms=["HS256"], options={"verify_exp": False})
    assert "exp" in claims, f"the token has no `exp` claim; its claims are {sorted(claims)}"
    left = claims["exp"] - datetime.now(UTC).timestamp()
    assert 14 * 60 < left <= 15 * 60 + 1, f"the token should expire in 15 minutes, not {left:.0f} s"


def test_a_genuine_token_gives_the_user(module: ModuleType) -> None:
    token = module.create_access_token(7, secret_key=KEY, lifetime=timedelta(minutes=15))
    assert module.read_access_token(token, secret_key=KEY) == 7


def refused(module: ModuleType, token: str, what: str) -> None:
    try:
        user_id = module.read_access_token(token, secret_key=KEY)
    except module.InvalidTokenError:
        return
    raise AssertionError(f"read_access_token accepted {what} (user {user_id})")


def test_an_expired_token_is_refused(module: ModuleType) -> None:
    past = datetime.now(UTC) - timedelta(minutes=1)
    token = jwt.encode({"sub": "7", "iat": past - timedelta(minutes=15), "exp": past}, KEY)
    refused(module, token, "a token that expired a minute ago")


def test_a_token_without_expiry_is_refused(module: ModuleType) -> None:
    token = jwt.encode({"sub": "7", "iat": datetime.now(UTC)}, KEY)
    refused(module, token, "a token without `exp`: it would never expire")


def test_a_forged_token_is_still_refused(module: ModuleType) -> None:
    later = datetime.now(UTC) + timedelta(minutes=5)
    token = jwt.encode({"sub": "7", "exp": later}, "someone-elses-key-long-enough-for-hs256!!")
    refused(module, token, "a token signed with another key")
