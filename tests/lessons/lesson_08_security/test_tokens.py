"""Lesson 08's bearer tokens, the whole matrix: only a genuine, current token for an existing
user gets in, and only an admin may delete a ticket."""

from datetime import UTC, datetime, timedelta
from typing import Any

import jwt
import pytest
from fastapi.testclient import TestClient
from sqlalchemy import create_engine, update
from sqlalchemy.orm import Session

from lessons.lesson_08_security.models import User
from lessons.lesson_08_security.settings import Settings
from tests.lessons.lesson_08_security.conftest import (
    ADMIN_ID,
    SECRET_KEY,
    TECHNICIAN_ID,
    bearer,
    token_for,
)

TICKET_ROUTES = [
    ("GET", "/tickets"),
    ("POST", "/tickets"),
    ("GET", "/tickets/1"),
    ("DELETE", "/tickets/1"),
    ("GET", "/users/me"),
]
REFUSED = {"detail": "Could not validate credentials"}


def claims(**changes: Any) -> dict[str, Any]:
    now = datetime.now(UTC)
    return {"sub": str(ADMIN_ID), "iat": now, "exp": now + timedelta(minutes=5), **changes}


def assert_refused(response: Any) -> None:
    assert response.status_code == 401
    assert response.headers["WWW-Authenticate"] == "Bearer"
    assert response.json() == REFUSED


@pytest.mark.parametrize(("method", "path"), TICKET_ROUTES)
def test_no_token_is_a_401_with_a_bearer_challenge(
    anonymous_client: TestClient, method: str, path: str
) -> None:
    response = anonymous_client.request(method, path)
    assert response.status_code == 401
    assert response.headers["WWW-Authenticate"] == "Bearer"
    assert response.json() == {"detail": "Not authenticated"}


def test_a_malformed_token_is_refused(anonymous_client: TestClient) -> None:
    assert_refused(anonymous_client.get("/tickets", headers=bearer("not-a-jwt")))


def test_a_token_signed_with_another_key_is_refused(anonymous_client: TestClient) -> None:
    forged = jwt.encode(claims(), "someone-elses-secret-key-of-the-same-length", "HS256")
    assert_refused(anonymous_client.get("/tickets", headers=bearer(forged)))


def test_a_token_whose_claims_were_altered_is_refused(anonymous_client: TestClient) -> None:
    header, _, signature = token_for(TECHNICIAN_ID).split(".")
    other_claims = token_for(ADMIN_ID).split(".")[1]
    assert_refused(
        anonymous_client.get("/tickets", headers=bearer(f"{header}.{other_claims}.{signature}"))
    )


def test_an_expired_token_is_refused(anonymous_client: TestClient) -> None:
    expired = token_for(ADMIN_ID, lifetime=timedelta(seconds=-1))
    assert_refused(anonymous_client.get("/tickets", headers=bearer(expired)))


def test_an_unsigned_token_alg_none_is_refused(anonymous_client: TestClient) -> None:
    unsigned = jwt.encode(claims(), key=None, algorithm="none")
    assert unsigned.endswith(".")  # no signature at all
    assert_refused(anonymous_client.get("/tickets", headers=bearer(unsigned)))


def test_a_token_with_an_algorithm_the_server_does_not_use_is_refused(
    anonymous_client: TestClient,
) -> None:
    # Right key, other algorithm: the server decides the algorithm, never the token.
    other_algorithm = jwt.encode(claims(), SECRET_KEY, algorithm="HS512")
    assert_refused(anonymous_client.get("/tickets", headers=bearer(other_algorithm)))


def test_a_token_without_an_expiry_is_refused(anonymous_client: TestClient) -> None:
    forever = jwt.encode({"sub": str(ADMIN_ID)}, SECRET_KEY, algorithm="HS256")
    assert_refused(anonymous_client.get("/tickets", headers=bearer(forever)))


def test_a_token_whose_subject_is_not_a_user_id_is_refused(anonymous_client: TestClient) -> None:
    odd = jwt.encode(claims(sub="ada"), SECRET_KEY, algorithm="HS256")
    assert_refused(anonymous_client.get("/tickets", headers=bearer(odd)))


def test_a_token_for_a_user_who_no_longer_exists_is_refused(anonymous_client: TestClient) -> None:
    assert_refused(anonymous_client.get("/tickets", headers=bearer(token_for(999))))


def test_a_token_in_another_scheme_is_refused(anonymous_client: TestClient) -> None:
    response = anonymous_client.get("/tickets", headers={"Authorization": token_for(ADMIN_ID)})
    assert response.status_code == 401


def test_a_technician_may_open_and_read_tickets(
    technician_client: TestClient, valid_ticket: dict[str, Any]
) -> None:
    created = technician_client.post("/tickets", json=valid_ticket)
    assert created.status_code == 201
    assert created.json()["opened_by"] == "tom"
    assert technician_client.get(f"/tickets/{created.json()['id']}").status_code == 200


def test_a_technician_may_not_delete_a_ticket(
    technician_client: TestClient, valid_ticket: dict[str, Any]
) -> None:
    ticket_id = technician_client.post("/tickets", json=valid_ticket).json()["id"]
    response = technician_client.delete(f"/tickets/{ticket_id}")
    assert response.status_code == 403
    assert response.json() == {"detail": "Only an admin may do this"}
    assert technician_client.get(f"/tickets/{ticket_id}").status_code == 200


def test_an_admin_may_delete_a_ticket(client: TestClient, valid_ticket: dict[str, Any]) -> None:
    ticket_id = client.post("/tickets", json=valid_ticket).json()["id"]
    assert client.delete(f"/tickets/{ticket_id}").status_code == 204


def test_a_refused_delete_is_audited_with_who_tried(
    technician_client: TestClient, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level("INFO", logger="repairdesk.audit")
    technician_client.delete("/tickets/1")
    assert [r.getMessage() for r in caplog.records if r.name == "repairdesk.audit"] == [
        "tom: DELETE /tickets/1 failed (HTTPException)"
    ]


def test_the_current_user_is_who_the_token_names(technician_client: TestClient) -> None:
    response = technician_client.get("/users/me")
    assert response.status_code == 200
    assert response.json() == {"id": TECHNICIAN_ID, "username": "tom", "role": "technician"}


def test_a_change_is_audited_under_the_username(
    client: TestClient, valid_ticket: dict[str, Any], caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level("INFO", logger="repairdesk.audit")
    client.post("/tickets", json=valid_ticket)
    assert [r.getMessage() for r in caplog.records if r.name == "repairdesk.audit"] == [
        "ada: POST /tickets done"
    ]


def test_a_role_change_applies_to_tokens_already_issued(
    client: TestClient, settings: Settings, valid_ticket: dict[str, Any]
) -> None:
    # The token names the user, not the role: the role is read from the database each time.
    ticket_id = client.post("/tickets", json=valid_ticket).json()["id"]
    engine = create_engine(settings.database_url)
    with Session(engine) as session, session.begin():
        session.execute(update(User).where(User.id == ADMIN_ID).values(role="technician"))
    engine.dispose()
    assert client.delete(f"/tickets/{ticket_id}").status_code == 403
