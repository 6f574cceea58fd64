"""Authentication and authorization: tokens, roles, and what is never shown."""

from __future__ import annotations

from datetime import timedelta

import jwt
import pytest
from fastapi.testclient import TestClient

from final_app.config import Settings
from final_app.models import Role
from final_app.security import Principal, create_access_token, decode_access_token
from tests.final_app.conftest import (
    ADMIN_EMAIL,
    PASSWORD,
    TECHNICIAN_EMAIL,
    TEST_SECRET_KEY,
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


@pytest.mark.usefixtures("technician")
def test_wrong_password_is_401_with_www_authenticate(client: TestClient) -> None:
    response = client.post(TOKEN_URL, data={"username": TECHNICIAN_EMAIL, "password": "nope"})
    assert response.status_code == 401
    assert response.headers["WWW-Authenticate"] == "Bearer"
    assert response.json() == {"detail": "Incorrect email or password"}


@pytest.mark.usefixtures("technician")
def test_an_unknown_email_costs_a_password_check_too(
    client: TestClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    """As slow as a wrong password: the timing does not tell which emails have accounts."""
    burned: list[str] = []
    monkeypatch.setattr("final_app.services.users.burn_password_check", burned.append)
    client.post(TOKEN_URL, data={"username": "who@example.com", "password": "nope"})
    client.post(TOKEN_URL, data={"username": TECHNICIAN_EMAIL, "password": "nope"})
    assert burned == ["nope"]  # once, for the unknown email; the known one checked its hash


@pytest.mark.usefixtures("technician")
def test_a_token_lives_as_long_as_the_settings_say(client: TestClient, settings: Settings) -> None:
    response = client.post(TOKEN_URL, data={"username": TECHNICIAN_EMAIL, "password": PASSWORD})
    claims = jwt.decode(response.json()["access_token"], TEST_SECRET_KEY, algorithms=["HS256"])
    assert claims["exp"] - claims["iat"] == settings.access_token_minutes * 60


@pytest.mark.usefixtures("technician")
def test_unknown_email_gets_the_same_answer_as_a_wrong_password(client: TestClient) -> None:
    unknown = client.post(TOKEN_URL, data={"username": "who@example.com", "password": "nope"})
    wrong = client.post(TOKEN_URL, data={"username": TECHNICIAN_EMAIL, "password": "nope"})
    assert unknown.status_code == wrong.status_code == 401
    assert unknown.json() == wrong.json()
    assert unknown.headers["WWW-Authenticate"] == wrong.headers["WWW-Authenticate"]


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


# --- users ------------------------------------------------------------------------------------


def test_me_returns_the_caller_without_secrets(client: TestClient, tech_headers: Headers) -> None:
    response = client.get("/api/v1/users/me", headers=tech_headers)
    assert response.status_code == 200
    assert set(response.json()) == {"id", "email", "role", "created_at"}
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
    assert set(response.json()) == {"id", "email", "role", "created_at"}
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
    assert "s3cret-enough" not in caplog.text
