"""Lesson 08's token endpoint: the OAuth2 password flow, as Swagger UI's Authorize uses it."""

from typing import Any

import jwt
import pytest
from fastapi.testclient import TestClient
from sqlalchemy import update

from lessons.lesson_08_security import security
from lessons.lesson_08_security.config import Settings
from lessons.lesson_08_security.models import User
from lessons.lesson_08_security.security import AUDIENCE
from tests.lessons.lesson_08_security.conftest import (
    ADMIN,
    ADMIN_PASSWORD,
    SECRET_KEY,
    TECHNICIAN,
    TECHNICIAN_PASSWORD,
    bearer,
    change_users,
)

# RFC 6749, section 5.2: a 400 with an `error` code; `detail` is this API's error shape.
WRONG_LOGIN = {"error": "invalid_grant", "detail": "Incorrect email or password"}


def log_in(client: TestClient, username: str, password: str) -> Any:
    # Exactly the form Swagger UI posts when you fill in its Authorize dialog.
    form = {"grant_type": "password", "username": username, "password": password, "scope": ""}
    return client.post("/auth/token", data=form)


def test_the_right_password_gets_a_bearer_token(anonymous_client: TestClient) -> None:
    response = log_in(anonymous_client, TECHNICIAN, TECHNICIAN_PASSWORD)
    assert response.status_code == 200
    body = response.json()
    assert body["token_type"] == "bearer"
    assert body["expires_in"] == 30 * 60
    me = anonymous_client.get("/users/me", headers=bearer(body["access_token"]))
    assert me.json()["email"] == TECHNICIAN


def test_the_token_response_may_not_be_cached(anonymous_client: TestClient) -> None:
    # RFC 6749, section 5.1: no browser or proxy may keep a copy of a token.
    response = log_in(anonymous_client, TECHNICIAN, TECHNICIAN_PASSWORD)
    assert response.headers["Cache-Control"] == "no-store"


def test_the_token_expires_when_the_settings_say(anonymous_client: TestClient) -> None:
    token = log_in(anonymous_client, ADMIN, ADMIN_PASSWORD).json()["access_token"]
    claims = jwt.decode(token, SECRET_KEY, algorithms=["HS256"], audience=AUDIENCE)
    assert claims["exp"] - claims["iat"] == 30 * 60


def test_a_wrong_password_is_a_400_invalid_grant(anonymous_client: TestClient) -> None:
    response = log_in(anonymous_client, ADMIN, "not the password")
    assert response.status_code == 400
    assert response.json() == WRONG_LOGIN
    # No bearer challenge: the client sent a password, not a token.
    assert "WWW-Authenticate" not in response.headers


def test_an_unknown_user_gets_exactly_the_wrong_password_answer(
    anonymous_client: TestClient,
) -> None:
    wrong_password = log_in(anonymous_client, ADMIN, "not the password")
    unknown_user = log_in(anonymous_client, "mallory@example.com", "not the password")
    assert unknown_user.status_code == wrong_password.status_code == 400
    assert unknown_user.json() == wrong_password.json()
    assert unknown_user.headers == wrong_password.headers


def test_an_unknown_user_costs_the_same_password_check_as_a_wrong_password(
    anonymous_client: TestClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The same words are not enough: a faster answer would say the email has no account.
    checked: list[str] = []  # the hash each password was checked against

    check = security.check_password

    def spy(password: str, hashed: str) -> tuple[bool, str | None]:
        checked.append(hashed)
        return check(password, hashed)

    monkeypatch.setattr(security, "check_password", spy)
    log_in(anonymous_client, ADMIN, "not the password")
    log_in(anonymous_client, "mallory@example.com", "not the password")
    assert len(checked) == 2  # one check per login, the unknown user's included
    known, unknown = checked
    # The same algorithm and cost parameters ($argon2id$v=19$m=...,t=...,p=...): the same work.
    assert unknown.rsplit("$", 2)[0] == known.rsplit("$", 2)[0]


def test_the_login_form_must_be_a_form(anonymous_client: TestClient) -> None:
    response = anonymous_client.post(
        "/auth/token", json={"username": ADMIN, "password": ADMIN_PASSWORD}
    )
    assert response.status_code == 422
    missing = {tuple(error["loc"]) for error in response.json()["detail"]}
    assert missing == {("body", "username"), ("body", "password")}


def test_neither_password_nor_hash_reaches_the_logs(
    anonymous_client: TestClient, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level("DEBUG")
    log_in(anonymous_client, ADMIN, "a wrong password")
    log_in(anonymous_client, ADMIN, ADMIN_PASSWORD)
    assert f"Failed sign-in for '{ADMIN}'" in caplog.text  # the attempt is logged...
    assert "a wrong password" not in caplog.text  # ...without what was typed
    assert ADMIN_PASSWORD not in caplog.text
    assert "$argon2" not in caplog.text


def test_the_current_user_is_shown_without_password_or_hash(client: TestClient) -> None:
    body = client.get("/users/me").json()
    assert body.keys() == {"id", "email", "role", "is_active", "created_at"}
    assert body["email"] == ADMIN
    assert body["role"] == "admin"


def test_the_email_signs_in_in_any_case(anonymous_client: TestClient) -> None:
    # Stored lowercased, and the form's email is lowercased too: one account, one address.
    assert log_in(anonymous_client, TECHNICIAN.upper(), TECHNICIAN_PASSWORD).status_code == 200


def test_a_deactivated_user_cannot_sign_in(
    anonymous_client: TestClient, settings: Settings
) -> None:
    change_users(settings, update(User).where(User.email == TECHNICIAN).values(is_active=False))
    response = log_in(anonymous_client, TECHNICIAN, TECHNICIAN_PASSWORD)
    assert response.status_code == 400  # the same answer as a wrong password
    assert response.json() == WRONG_LOGIN


def test_the_sign_in_form_has_bounded_fields(anonymous_client: TestClient) -> None:
    response = log_in(anonymous_client, TECHNICIAN, "x" * 129)
    assert response.status_code == 422  # refused before any Argon2 work


def test_openapi_points_swagger_authorize_at_the_token_endpoint(
    anonymous_client: TestClient,
) -> None:
    schema = anonymous_client.get("/openapi.json").json()
    scheme = schema["components"]["securitySchemes"]["OAuth2PasswordBearer"]
    assert scheme["type"] == "oauth2"
    assert scheme["flows"] == {"password": {"scopes": {}, "tokenUrl": "auth/token"}}
    assert "HS256" in scheme["description"]  # which tokens the API accepts
    # Relative to the page serving /docs: Swagger UI posts the form to /auth/token.
    assert "post" in schema["paths"]["/auth/token"]
    form = schema["paths"]["/auth/token"]["post"]["requestBody"]["content"]
    assert "application/x-www-form-urlencoded" in form


def test_openapi_names_operations_after_their_endpoints_and_describes_every_tag(
    anonymous_client: TestClient,
) -> None:
    schema = anonymous_client.get("/openapi.json").json()
    assert schema["paths"]["/tickets"]["post"]["operationId"] == "create_ticket"
    described = {tag["name"] for tag in schema["tags"] if tag["description"]}
    used = {
        tag for operations in schema["paths"].values() for op in operations.values()
        for tag in op.get("tags", [])
    }  # fmt: skip
    assert used <= described


def test_openapi_marks_the_ticket_routes_as_needing_the_token(
    anonymous_client: TestClient,
) -> None:
    paths = anonymous_client.get("/openapi.json").json()["paths"]
    for operation in [paths["/tickets"]["get"], paths["/tickets/{ticket_id}"]["delete"]]:
        assert operation["security"] == [{"OAuth2PasswordBearer": []}]


@pytest.mark.parametrize("path", ["/", "/docs", "/openapi.json", "/health"])
def test_service_description_docs_and_health_need_no_token(
    anonymous_client: TestClient, path: str
) -> None:
    assert anonymous_client.get(path).status_code == 200
