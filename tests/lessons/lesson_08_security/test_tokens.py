"""Lesson 08's bearer tokens, the whole matrix: only a genuine, current token for an existing
user gets in, and only an admin may delete a ticket."""

from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

import jwt
import pytest
from fastapi.testclient import TestClient
from sqlalchemy import create_engine, delete, insert, select, update
from sqlalchemy.orm import Session

from lessons.lesson_08_security.config import Settings
from lessons.lesson_08_security.models import Role, User
from lessons.lesson_08_security.security import AUDIENCE
from tests.lessons.lesson_08_security.conftest import (
    ADMIN,
    ADMIN_ID,
    SECRET_KEY,
    TECHNICIAN,
    TECHNICIAN_ID,
    bearer,
    change_users,
    token_for,
)

TICKET_ROUTES = [
    ("GET", "/tickets"),
    ("POST", "/tickets"),
    ("GET", "/tickets/1"),
    ("PATCH", "/tickets/1"),
    ("POST", "/tickets/1/transitions"),
    ("DELETE", "/tickets/1"),
    ("GET", "/users/me"),
]
REFUSED = {"detail": "Could not validate credentials"}


def claims(**changes: Any) -> dict[str, Any]:
    now = datetime.now(UTC)
    valid = {
        "sub": str(ADMIN_ID),
        "role": "admin",
        "aud": AUDIENCE,
        "iat": now,
        "exp": now + timedelta(minutes=5),
    }
    return {**valid, **changes}


def forge(payload: dict[str, Any], key: str | None = SECRET_KEY, **header: Any) -> str:
    """A token as an attacker (or another issuer) would make it; `typ=None` leaves typ out."""
    algorithm = header.pop("alg", "HS256")
    return jwt.encode(payload, key, algorithm=algorithm, headers={"typ": "at+jwt", **header})


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
    forged = forge(claims(), "someone-elses-secret-key-of-the-same-length")
    assert_refused(anonymous_client.get("/tickets", headers=bearer(forged)))


def test_a_refused_token_is_logged_with_why_never_with_the_token(
    anonymous_client: TestClient, caplog: pytest.LogCaptureFixture
) -> None:
    forged = forge(claims(), "someone-elses-secret-key-of-the-same-length")
    anonymous_client.get("/tickets", headers=bearer(forged))
    [line] = [r.getMessage() for r in caplog.records if "Refused a token" in r.getMessage()]
    assert "Signature verification failed" in line  # why, for the operator
    assert forged not in caplog.text  # a token is a credential: it never reaches the log


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
    unsigned = forge(claims(), key=None, alg="none")
    assert unsigned.endswith(".")  # no signature at all
    assert_refused(anonymous_client.get("/tickets", headers=bearer(unsigned)))


def test_a_token_with_an_algorithm_the_server_does_not_use_is_refused(
    anonymous_client: TestClient,
) -> None:
    # Right key, other algorithm: the server decides the algorithm, never the token.
    other_algorithm = forge(claims(), alg="HS512")
    assert_refused(anonymous_client.get("/tickets", headers=bearer(other_algorithm)))


def test_a_token_without_an_expiry_is_refused(anonymous_client: TestClient) -> None:
    forever = forge(without("exp"))
    assert_refused(anonymous_client.get("/tickets", headers=bearer(forever)))


@pytest.mark.parametrize(
    "odd", [{"sub": "ada"}, {"role": "owner"}], ids=["subject not an id", "no such role"]
)
def test_a_token_with_a_claim_the_api_cannot_read_is_refused(
    anonymous_client: TestClient, odd: dict[str, str]
) -> None:
    assert_refused(anonymous_client.get("/tickets", headers=bearer(forge(claims(**odd)))))


def test_a_token_forged_like_a_genuine_one_is_accepted(anonymous_client: TestClient) -> None:
    # The tests above change one thing each: this shows that `forge` alone is not what fails.
    response = anonymous_client.get("/users/me", headers=bearer(forge(claims())))
    assert response.status_code == 200


def without(claim: str) -> dict[str, Any]:
    return {name: value for name, value in claims().items() if name != claim}


# RFC 8725 (JWT best practices) and RFC 9068: a token names the API it is for (`aud`) and says
# that it is an access token (`typ`), so that no other JWT signed with the key passes for one.
@pytest.mark.parametrize(
    "token",
    [
        pytest.param(lambda: forge(without("aud")), id="no audience"),
        pytest.param(lambda: forge(claims(aud="billing-api")), id="another audience"),
        pytest.param(lambda: forge(claims(), typ=None), id="no type"),
        pytest.param(lambda: forge(claims(), typ="JWT"), id="a plain JWT"),
        pytest.param(lambda: forge(claims(), typ="id+jwt"), id="another type"),
    ],
)
def test_a_token_not_issued_as_an_access_token_for_this_api_is_refused(
    anonymous_client: TestClient, token: Callable[[], str]
) -> None:
    assert_refused(anonymous_client.get("/users/me", headers=bearer(token())))


def test_the_type_may_be_written_as_a_full_media_type(anonymous_client: TestClient) -> None:
    token = forge(claims(), typ="application/AT+JWT")  # RFC 9068, section 4: same type
    assert anonymous_client.get("/users/me", headers=bearer(token)).status_code == 200


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
    assert created.json()["opened_by"] == TECHNICIAN
    assert technician_client.get(f"/tickets/{created.json()['id']}").status_code == 200


def test_a_technician_may_not_delete_a_ticket(
    technician_client: TestClient, valid_ticket: dict[str, Any]
) -> None:
    ticket_id = technician_client.post("/tickets", json=valid_ticket).json()["id"]
    response = technician_client.delete(f"/tickets/{ticket_id}")
    assert response.status_code == 403
    assert response.json() == {"detail": "Admins only"}
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
        f"{TECHNICIAN}: DELETE /tickets/1 failed (HTTPException)"
    ]


def test_the_current_user_is_who_the_token_names(technician_client: TestClient) -> None:
    response = technician_client.get("/users/me")
    assert response.status_code == 200
    body = response.json()
    assert (body["id"], body["email"], body["role"]) == (TECHNICIAN_ID, TECHNICIAN, "technician")


def test_a_change_is_audited_under_the_email(
    client: TestClient, valid_ticket: dict[str, Any], caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level("INFO", logger="repairdesk.audit")
    client.post("/tickets", json=valid_ticket)
    assert [r.getMessage() for r in caplog.records if r.name == "repairdesk.audit"] == [
        f"{ADMIN}: POST /tickets done"
    ]


def test_a_demotion_applies_at_once_to_tokens_already_issued(
    client: TestClient, settings: Settings, valid_ticket: dict[str, Any]
) -> None:
    # The token says "admin", but the role is read from the account at every request.
    ticket_id = client.post("/tickets", json=valid_ticket).json()["id"]
    change_users(settings, update(User).where(User.id == ADMIN_ID).values(role=Role.TECHNICIAN))
    assert client.delete(f"/tickets/{ticket_id}").status_code == 403


def test_a_deleted_users_token_stops_working_at_once(
    client: TestClient, settings: Settings
) -> None:
    assert client.get("/users/me").status_code == 200
    change_users(settings, delete(User).where(User.id == ADMIN_ID))
    assert_refused(client.get("/users/me"))


def test_a_deactivated_users_token_stops_working_at_once(
    client: TestClient, settings: Settings
) -> None:
    # Deactivated, not deleted: the account keeps its tickets, and its tokens stop at once.
    change_users(settings, update(User).where(User.id == ADMIN_ID).values(is_active=False))
    assert_refused(client.get("/users/me"))
    change_users(settings, update(User).where(User.id == ADMIN_ID).values(is_active=True))
    assert client.get("/users/me").status_code == 200


def test_a_deleted_users_id_is_never_given_to_a_new_user(settings: Settings) -> None:
    # Otherwise a token still alive for the deleted user would name the next one.
    change_users(settings, delete(User).where(User.id == TECHNICIAN_ID))
    change_users(
        settings, insert(User).values(email="new@example.com", password_hash="x", role="technician")
    )
    engine = create_engine(settings.database_url.get_secret_value())
    with Session(engine) as session:
        assert session.scalar(select(User.id).where(User.email == "new@example.com")) == 3
    engine.dispose()
