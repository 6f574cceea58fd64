"""Lesson 08's building blocks on their own: password hashes and access tokens."""

from datetime import timedelta

import jwt
import pytest

from lessons.lesson_08_security.models import Role
from lessons.lesson_08_security.security import (
    AUDIENCE,
    InvalidTokenError,
    Principal,
    check_password,
    create_access_token,
    decode_access_token,
    hash_password,
)

SECRET = "a-secret-key-of-at-least-thirty-two-characters"
TOM = Principal(user_id=7, role=Role.TECHNICIAN)


@pytest.fixture(scope="module")
def hashed() -> str:
    return hash_password("correct horse battery staple")


def test_a_hash_is_argon2id_and_does_not_contain_the_password(hashed: str) -> None:
    assert hashed.startswith("$argon2id$")
    assert "correct horse" not in hashed


def test_the_same_password_hashes_differently_each_time(hashed: str) -> None:
    # A random salt per hash: equal passwords do not show as equal hashes.
    assert hash_password("correct horse battery staple") != hashed


def test_the_right_password_checks(hashed: str) -> None:
    assert check_password("correct horse battery staple", hashed)[0]


def test_a_wrong_password_does_not_check(hashed: str) -> None:
    assert not check_password("correct horse battery stapler", hashed)[0]


def test_a_token_names_its_user_and_role() -> None:
    token = create_access_token(TOM, secret_key=SECRET, lifetime=timedelta(minutes=1))
    assert decode_access_token(token, secret_key=SECRET) == TOM


def test_a_token_read_with_another_key_is_invalid() -> None:
    token = create_access_token(TOM, secret_key=SECRET, lifetime=timedelta(minutes=1))
    with pytest.raises(InvalidTokenError, match="Signature verification failed"):
        decode_access_token(token, secret_key=SECRET.upper())


def test_an_expired_token_is_invalid() -> None:
    token = create_access_token(TOM, secret_key=SECRET, lifetime=timedelta(seconds=-1))
    with pytest.raises(InvalidTokenError, match="expired"):
        decode_access_token(token, secret_key=SECRET)


@pytest.mark.parametrize("typ", ["at+jwt", "application/at+jwt", "AT+JWT"])
def test_an_access_token_type_is_accepted_in_either_form_and_any_case(typ: str) -> None:
    # RFC 9068 section 4: "at+jwt" or "application/at+jwt"; media types ignore case.
    claims = {"sub": "7", "role": "technician", "aud": AUDIENCE, "exp": 2**40}
    token = jwt.encode(claims, SECRET, algorithm="HS256", headers={"typ": typ})
    assert decode_access_token(token, secret_key=SECRET) == TOM


@pytest.mark.parametrize("claims", [{"role": "owner"}, {"role": None}, {"sub": "seven"}])
def test_a_token_with_a_bad_claim_is_invalid(claims: dict[str, object]) -> None:
    all_claims = {"sub": "7", "role": "technician", "aud": AUDIENCE, "exp": 2**40, **claims}
    token = jwt.encode(all_claims, SECRET, algorithm="HS256", headers={"typ": "at+jwt"})
    with pytest.raises(InvalidTokenError):
        decode_access_token(token, secret_key=SECRET)
