"""Authentication and authorization: tokens, roles, and what is never shown."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import jwt
import pytest
from fastapi.testclient import TestClient
from pwdlib import PasswordHash
from pwdlib.hashers.argon2 import Argon2Hasher
from sqlalchemy import create_engine, select
from sqlalchemy.orm import Session

from final_app.config import Settings
from final_app.db import utc_now
from final_app.models import Role, User
from final_app.security import (
    ALGORITHM,
    ARGON2_MEMORY_KIB,
    AUDIENCE,
    TOKEN_TYPE,
    Principal,
    TokenVerifier,
    check_password,
    create_access_token,
    decode_access_token,
)
from tests.final_app.conftest import (
    ADMIN_EMAIL,
    PASSWORD,
    TECHNICIAN_EMAIL,
    TEST_SECRET_KEY,
    add_user,
    bearer,
)

Headers = dict[str, str]
TOKEN_URL = "/api/v1/auth/token"


# --- the token endpoint -----------------------------------------------------------------------


@pytest.mark.usefixtures("technician")
def test_login_returns_a_bearer_token_for_the_user(client: TestClient) -> None:
    response = client.post(TOKEN_URL, data={"username": TECHNICIAN_EMAIL, "password": PASSWORD})
    assert response.status_code == 200
    assert response.json()["token_type"] == "bearer"
    principal = decode_access_token(response.json()["access_token"], secret_key=TEST_SECRET_KEY)
    assert principal.role is Role.TECHNICIAN


@pytest.mark.usefixtures("technician")
def test_login_ignores_the_case_of_the_email(client: TestClient) -> None:
    response = client.post(
        TOKEN_URL, data={"username": TECHNICIAN_EMAIL.upper(), "password": PASSWORD}
    )
    assert response.status_code == 200


INVALID_GRANT = {"error": "invalid_grant", "detail": "Incorrect email or password"}


def test_the_token_response_may_not_be_cached(client: TestClient, technician: Principal) -> None:
    response = client.post(TOKEN_URL, data={"username": TECHNICIAN_EMAIL, "password": PASSWORD})
    assert response.headers["Cache-Control"] == "no-store"  # RFC 6749 section 5.1
    assert response.json()["expires_in"] > 0


@pytest.mark.usefixtures("technician")
def test_a_wrong_password_is_400_invalid_grant(client: TestClient) -> None:
    """RFC 6749 section 5.2: 400 and an `error` code; 401 is for a bad bearer token."""
    response = client.post(TOKEN_URL, data={"username": TECHNICIAN_EMAIL, "password": "nope"})
    assert response.status_code == 400
    assert response.json() == INVALID_GRANT


@pytest.mark.usefixtures("technician")
def test_an_unknown_email_costs_a_password_check_too(
    client: TestClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    """As slow as a wrong password: the timing does not tell which emails have accounts."""
    checked: list[str] = []

    def spy(password: str, password_hash: str) -> tuple[bool, str | None]:
        checked.append(password)
        return check_password(password, password_hash)

    monkeypatch.setattr("final_app.security.check_password", spy)
    client.post(TOKEN_URL, data={"username": "who@example.com", "password": "unknown"})
    client.post(TOKEN_URL, data={"username": TECHNICIAN_EMAIL, "password": "known"})
    assert checked == ["unknown", "known"]


def test_no_password_is_hashed_while_answering_an_unknown_email(
    client: TestClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The hash unknown emails are checked against is made at start-up, not by the first one."""

    def refuse(*_: object) -> str:
        raise AssertionError("hashed a password during a login")

    monkeypatch.setattr("final_app.security._hasher.hash", refuse)
    response = client.post(TOKEN_URL, data={"username": "who@example.com", "password": "nope"})
    assert response.status_code == 400


@pytest.mark.usefixtures("technician")
def test_a_token_lives_as_long_as_the_settings_say(client: TestClient, settings: Settings) -> None:
    response = client.post(TOKEN_URL, data={"username": TECHNICIAN_EMAIL, "password": PASSWORD})
    token = response.json()["access_token"]
    claims = jwt.decode(token, TEST_SECRET_KEY, algorithms=["HS256"], audience=AUDIENCE)
    assert claims["exp"] - claims["iat"] == settings.access_token_minutes * 60
    assert response.json()["expires_in"] == settings.access_token_minutes * 60


@pytest.mark.usefixtures("technician")
def test_unknown_email_gets_the_same_answer_as_a_wrong_password(client: TestClient) -> None:
    unknown = client.post(TOKEN_URL, data={"username": "who@example.com", "password": "nope"})
    wrong = client.post(TOKEN_URL, data={"username": TECHNICIAN_EMAIL, "password": "nope"})
    assert unknown.status_code == wrong.status_code == 400
    assert unknown.json() == wrong.json() == INVALID_GRANT
    assert unknown.headers.get("WWW-Authenticate") == wrong.headers.get("WWW-Authenticate")


@pytest.mark.usefixtures("shipped_password_hashing")
def test_a_login_upgrades_a_hash_made_with_older_parameters(
    client: TestClient, database_url: str
) -> None:
    """pwdlib's default (64 MiB, 3 passes) → today's parameters, at the next good login."""
    old_hash = PasswordHash((Argon2Hasher(),)).hash(PASSWORD)
    add_user(database_url, "old@example.com", Role.TECHNICIAN, old_hash)
    response = client.post(TOKEN_URL, data={"username": "old@example.com", "password": PASSWORD})
    assert response.status_code == 200
    new_hash = stored_password_hash(database_url, "old@example.com")
    assert new_hash != old_hash
    assert f"m={ARGON2_MEMORY_KIB},t=2,p=1" in new_hash
    relogin = client.post(TOKEN_URL, data={"username": "old@example.com", "password": PASSWORD})
    assert relogin.status_code == 200


def stored_password_hash(database_url: str, email: str) -> str:
    engine = create_engine(database_url)
    with Session(engine) as session:
        password_hash = session.scalars(select(User.password_hash).where(User.email == email)).one()
    engine.dispose()
    return password_hash


@pytest.mark.parametrize(
    ("field", "value"),
    [("username", "a" * 321 + "@example.com"), ("password", "p" * 129), ("grant_type", "code")],
)
def test_a_sign_in_form_out_of_bounds_is_422(client: TestClient, field: str, value: str) -> None:
    form = {"username": TECHNICIAN_EMAIL, "password": PASSWORD, field: value}
    response = client.post(TOKEN_URL, data=form)
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == ["body", field]


def test_login_without_a_password_is_422(client: TestClient) -> None:
    response = client.post(TOKEN_URL, data={"username": TECHNICIAN_EMAIL})
    assert response.status_code == 422


# --- tokens on protected routes ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("GET", "/api/v1/tickets"),
        ("POST", "/api/v1/tickets"),
        ("GET", "/api/v1/tickets/1"),
        ("PATCH", "/api/v1/tickets/1"),
        ("DELETE", "/api/v1/tickets/1"),
        ("POST", "/api/v1/tickets/1/transitions"),
        ("GET", "/api/v1/users/me"),
        ("POST", "/api/v1/users"),
    ],
)
def test_protected_routes_answer_401_without_a_token(
    client: TestClient, method: str, path: str
) -> None:
    response = client.request(method, path, json={})
    assert response.status_code == 401
    assert response.headers["WWW-Authenticate"] == "Bearer"


def test_a_forged_token_is_401(client: TestClient, technician: Principal) -> None:
    forged = create_access_token(
        Principal(technician.user_id, Role.ADMIN),
        secret_key="another-key-another-key-another-key",
        lifetime=timedelta(minutes=5),
    )
    response = client.get("/api/v1/tickets", headers={"Authorization": f"Bearer {forged}"})
    assert response.status_code == 401
    assert response.json() == {"detail": "Could not validate credentials"}


def test_an_expired_token_is_401(client: TestClient, technician: Principal) -> None:
    response = client.get("/api/v1/tickets", headers=bearer(technician, timedelta(seconds=-1)))
    assert response.status_code == 401


def test_a_garbage_token_is_401(client: TestClient) -> None:
    response = client.get("/api/v1/tickets", headers={"Authorization": "Bearer not.a.jwt"})
    assert response.status_code == 401


def signed(claims: dict[str, object], headers: dict[str, str] | None = None) -> Headers:
    token = jwt.encode(claims, TEST_SECRET_KEY, algorithm=ALGORITHM, headers=headers)
    return {"Authorization": f"Bearer {token}"}


@pytest.mark.parametrize(
    ("claims", "headers"),
    [
        ({"aud": "another-api"}, {"typ": TOKEN_TYPE}),  # meant for another service
        ({}, {"typ": TOKEN_TYPE}),  # no audience at all
        ({"aud": AUDIENCE}, {"typ": "JWT"}),  # a JWT, but not an access token
        ({"aud": AUDIENCE}, None),  # no type
    ],
    ids=["other-audience", "no-audience", "other-type", "no-type"],
)
def test_a_token_for_another_audience_or_purpose_is_401(
    client: TestClient, technician: Principal, claims: dict[str, object], headers: Any
) -> None:
    """RFC 9068 / ASVS 5 V9.2: same key, same user, valid signature, and still refused."""
    base = {"sub": str(technician.user_id), "role": "technician", "exp": 2**31 - 1}
    response = client.get("/api/v1/tickets", headers=signed(base | claims, headers))
    assert response.status_code == 401


@pytest.mark.parametrize("typ", [TOKEN_TYPE, f"application/{TOKEN_TYPE}", "AT+JWT"])
def test_a_token_with_our_audience_and_type_is_accepted(
    client: TestClient, technician: Principal, typ: str
) -> None:
    """The control for the test above: only the audience and the type differed there.

    RFC 9068 section 4 allows the long form of the type, and media types ignore case.
    """
    claims = {"sub": str(technician.user_id), "role": "technician", "exp": 2**31 - 1}
    response = client.get(
        "/api/v1/tickets", headers=signed(claims | {"aud": AUDIENCE}, {"typ": typ})
    )
    assert response.status_code == 200


# --- users ------------------------------------------------------------------------------------


def test_me_returns_the_caller_without_secrets(client: TestClient, tech_headers: Headers) -> None:
    response = client.get("/api/v1/users/me", headers=tech_headers)
    assert response.status_code == 200
    assert set(response.json()) == {"id", "email", "role", "is_active", "created_at"}
    assert response.json()["email"] == TECHNICIAN_EMAIL


def test_me_with_the_token_of_a_deleted_user_is_401(client: TestClient) -> None:
    response = client.get("/api/v1/users/me", headers=bearer(Principal(999, Role.ADMIN)))
    assert response.status_code == 401


def test_admin_creates_a_user_with_201_and_never_the_password(
    client: TestClient, admin_headers: Headers
) -> None:
    body = {"email": "New@Example.com", "password": "s3cret-enough", "role": "technician"}
    response = client.post("/api/v1/users", json=body, headers=admin_headers)
    assert response.status_code == 201
    assert set(response.json()) == {"id", "email", "role", "is_active", "created_at"}
    assert response.json()["email"] == "new@example.com"
    assert "s3cret-enough" not in response.text


def test_a_created_user_can_log_in(client: TestClient, admin_headers: Headers) -> None:
    body = {"email": "new@example.com", "password": "s3cret-enough", "role": "admin"}
    client.post("/api/v1/users", json=body, headers=admin_headers)
    assert login_status(client, "new@example.com", "s3cret-enough") == 200


def login_status(client: TestClient, email: str, password: str) -> int:
    return client.post(TOKEN_URL, data={"username": email, "password": password}).status_code


def test_a_duplicate_email_is_409(client: TestClient, admin_headers: Headers) -> None:
    body = {"email": ADMIN_EMAIL.upper(), "password": "s3cret-enough", "role": "admin"}
    response = client.post("/api/v1/users", json=body, headers=admin_headers)
    assert response.status_code == 409
    assert response.json() == {"detail": f"A user with email {ADMIN_EMAIL} already exists"}


def test_a_technician_may_not_create_users(client: TestClient, tech_headers: Headers) -> None:
    body = {"email": "new@example.com", "password": "s3cret-enough", "role": "admin"}
    response = client.post("/api/v1/users", json=body, headers=tech_headers)
    assert response.status_code == 403


@pytest.mark.parametrize(
    ("field", "value"), [("password", "short"), ("role", "owner"), ("email", "nope")]
)
def test_user_creation_validates_its_body(
    client: TestClient, admin_headers: Headers, field: str, value: str
) -> None:
    body = {"email": "new@example.com", "password": "s3cret-enough", "role": "technician"}
    response = client.post("/api/v1/users", json={**body, field: value}, headers=admin_headers)
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == ["body", field]


def test_passwords_are_never_logged(
    client: TestClient, admin_headers: Headers, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level("DEBUG")
    caplog.set_level("DEBUG", logger="final_app")  # the app's own logger sets its own level
    body = {"email": "new@example.com", "password": "s3cret-enough", "role": "technician"}
    client.post("/api/v1/users", json=body, headers=admin_headers)
    client.post(TOKEN_URL, data={"username": "new@example.com", "password": "s3cret-enough"})
    client.post(TOKEN_URL, data={"username": "new@example.com", "password": "s3cret-wrong!"})
    assert "Failed sign-in for 'new@example.com'" in caplog.text  # the failure, for the operator
    assert "s3cret-enough" not in caplog.text
    assert "s3cret-wrong!" not in caplog.text  # not even a wrong one: it is one typo away


# --- the verifier remembers verified tokens, never past their expiry --------------------------


def test_a_remembered_token_is_still_refused_once_expired(
    client: TestClient, technician: Principal, monkeypatch: pytest.MonkeyPatch
) -> None:
    headers = bearer(technician, timedelta(minutes=1))
    assert client.get("/api/v1/tickets", headers=headers).status_code == 200  # now remembered
    later = utc_now() + timedelta(minutes=1, seconds=1)
    monkeypatch.setattr("final_app.security.utc_now", lambda: later)
    assert client.get("/api/v1/tickets", headers=headers).status_code == 401


def test_each_token_is_verified_once_and_the_memory_is_bounded(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    decoded: list[str] = []
    real_decode = jwt.decode_complete

    def counting_decode(token: str, *args: Any, **kwargs: Any) -> Any:
        decoded.append(token)
        return real_decode(token, *args, **kwargs)

    monkeypatch.setattr("final_app.security.jwt.decode_complete", counting_decode)
    verifier = TokenVerifier(TEST_SECRET_KEY, remember=2)
    tokens = [
        create_access_token(
            Principal(n, Role.TECHNICIAN), secret_key=TEST_SECRET_KEY, lifetime=timedelta(hours=1)
        )
        for n in (1, 2, 3)
    ]
    assert [verifier.principal(tokens[0]).user_id for _ in range(3)] == [1, 1, 1]
    assert decoded == tokens[:1]
    for token in tokens:
        verifier.principal(token)
    verifier.principal(tokens[0])  # pushed out by the third: verified again
    assert decoded == [tokens[0], tokens[1], tokens[2], tokens[0]]


def test_a_tampered_copy_of_a_remembered_token_is_refused(
    client: TestClient, technician: Principal
) -> None:
    token = bearer(technician)["Authorization"].removeprefix("Bearer ")
    assert client.get("/api/v1/tickets", headers={"Authorization": f"Bearer {token}"}).is_success
    header, payload, signature = token.split(".")
    tampered = ".".join([header, payload, signature[::-1]])
    response = client.get("/api/v1/tickets", headers={"Authorization": f"Bearer {tampered}"})
    assert response.status_code == 401
