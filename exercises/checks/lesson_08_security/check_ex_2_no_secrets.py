"""Checks that no password or hash leaves the server, in a response or in the log.

--8<-- [start:hint]
Declare `class StaffRead(BaseModel)` with `username: str` and `role: str`, and
`model_config = ConfigDict(from_attributes=True)` so that it can be built from the stored
record: make it the return annotation and `return StaffRead.model_validate(find(username))`.
For the log, drop the password from the message and its arguments: `security_log.warning(
"Failed login for %r", credentials.username)`.
--8<-- [end:hint]
"""

import logging
from typing import Any

import pytest
from fastapi.testclient import TestClient

from exercises.checks.words import answered

TRIED_PASSWORD = "correct horse battery stapler"  # noqa: S105 (a test value, not a secret)


def test_a_profile_has_the_username_and_role_only(client: TestClient) -> None:
    response = client.get("/staff/ada")
    assert response.status_code == 200, answered("GET /staff/ada", response, 200)
    assert response.json() == {"username": "ada", "role": "admin"}, (
        f'GET /staff/ada should answer {{"username": "ada", "role": "admin"}} only; '
        f"it answered {sorted(response.json())}"
    )
    assert "$argon2" not in response.text, "the password hash is in the response"


def schema_of(document: dict[str, Any], schema: dict[str, Any]) -> dict[str, Any]:
    if "$ref" in schema:
        found: dict[str, Any] = document["components"]["schemas"][schema["$ref"].split("/")[-1]]
        return found
    return schema


def test_the_profile_is_documented_without_the_hash(client: TestClient) -> None:
    document = client.get("/openapi.json").json()
    response = document["paths"]["/staff/{username}"]["get"]["responses"]["200"]
    schema = schema_of(document, response["content"]["application/json"]["schema"])
    properties = sorted(schema.get("properties", {}))
    assert properties == ["role", "username"], (
        f"the documented response should have the username and role only; it has {properties}"
    )


def test_a_wrong_password_is_a_400(client: TestClient) -> None:
    response = client.post("/staff/login", json={"username": "ada", "password": TRIED_PASSWORD})
    assert response.status_code == 400, answered("a login with a wrong password", response, 400)


def test_a_failed_login_is_logged_without_the_password(
    client: TestClient, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.INFO):
        client.post("/staff/login", json={"username": "ada", "password": TRIED_PASSWORD})
    warnings = [r.getMessage() for r in caplog.records if r.levelno >= logging.WARNING]
    assert any("ada" in message for message in warnings), (
        f"a failed login should be logged as a warning naming the username; logged: {warnings}"
    )
    leaks = [m for m in (r.getMessage() for r in caplog.records) if TRIED_PASSWORD in m]
    assert not leaks, f"the password that was tried is in the log: {leaks}"


def test_the_right_password_still_logs_in(client: TestClient) -> None:
    credentials = {"username": "ada", "password": "correct horse battery staple"}
    response = client.post("/staff/login", json=credentials)
    assert response.status_code == 200, answered("a login with the right password", response, 200)
