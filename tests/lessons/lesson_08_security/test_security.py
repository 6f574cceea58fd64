"""Lesson 08's building blocks on their own: password hashes and access tokens."""

from datetime import timedelta

import pytest

from lessons.lesson_08_security.models import User
from lessons.lesson_08_security.security import (
    InvalidTokenError,
    create_access_token,
    hash_password,
    read_access_token,
    verify_password,
)

SECRET = "a-secret-key-of-at-least-thirty-two-characters"


@pytest.fixture(scope="module")
def hashed() -> str:
    return hash_password("correct horse battery staple")


def test_a_hash_is_argon2id_and_does_not_contain_the_password(hashed: str) -> None:
    assert hashed.startswith("$argon2id$")
    assert "correct horse" not in hashed


def test_the_same_password_hashes_differently_each_time(hashed: str) -> None:
    # A random salt per hash: equal passwords do not show as equal hashes.
    assert hash_password("correct horse battery staple") != hashed


def test_the_right_password_verifies(hashed: str) -> None:
    assert verify_password("correct horse battery staple", hashed)


def test_a_wrong_password_does_not_verify(hashed: str) -> None:
    assert not verify_password("correct horse battery stapler", hashed)


def test_a_user_shown_in_a_log_or_traceback_shows_no_hash(hashed: str) -> None:
    user = User(id=1, username="ada", password_hash=hashed, role="admin")
    assert hashed not in repr(user)


def test_a_token_names_its_user() -> None:
    token = create_access_token(7, secret_key=SECRET, lifetime=timedelta(minutes=1))
    assert read_access_token(token, secret_key=SECRET) == 7


def test_a_token_read_with_another_key_is_invalid() -> None:
    token = create_access_token(7, secret_key=SECRET, lifetime=timedelta(minutes=1))
    with pytest.raises(InvalidTokenError, match="Signature verification failed"):
        read_access_token(token, secret_key=SECRET.upper())


def test_an_expired_token_is_invalid() -> None:
    token = create_access_token(7, secret_key=SECRET, lifetime=timedelta(seconds=-1))
    with pytest.raises(InvalidTokenError, match="expired"):
        read_access_token(token, secret_key=SECRET)
