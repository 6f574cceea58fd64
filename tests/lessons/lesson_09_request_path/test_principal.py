"""Decision 4, the principal from the token, the account checked in the request's one trip.

Reading who calls costs no database trip: the token says it, and `TokenVerifier` checks each
token's signature once. Whether the account may still do what the token says is checked in
the request's own `Database.run`, so a deactivation (401) or a demotion (403) counts at the
very next request, old token and all, and costs no extra hop.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import jwt
import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import create_engine, delete, update
from sqlalchemy.orm import Session

from lessons.lesson_09_request_path import security
from lessons.lesson_09_request_path.db import utc_now
from lessons.lesson_09_request_path.models import Role, User
from lessons.lesson_09_request_path.security import (
    InvalidTokenError,
    Principal,
    TokenVerifier,
    create_access_token,
)
from tests.lessons.lesson_09_request_path.conftest import (
    PASSWORD,
    TECHNICIAN_EMAIL,
    TEST_SECRET_KEY,
    TOKEN_URL,
    USERS,
    Headers,
    Hops,
    add_user,
    bearer,
)
from tests.support.api_v1 import TICKETS

REFUSED = {"detail": "Could not validate credentials"}


def change_in_database(database_url: str, statement: Any) -> None:
    """What another admin, a script or a console does behind the API's back."""
    engine = create_engine(database_url)
    with Session(engine) as session, session.begin():
        session.execute(statement)
    engine.dispose()


# --- the token alone says who calls -----------------------------------------------------------


def token(lifetime: timedelta = timedelta(minutes=5)) -> str:
    principal = Principal(user_id=7, role=Role.TECHNICIAN)
    return create_access_token(principal, secret_key=TEST_SECRET_KEY, lifetime=lifetime)


def test_a_token_is_verified_once_then_remembered(monkeypatch: pytest.MonkeyPatch) -> None:
    decoded: list[str] = []
    decode = jwt.decode_complete

    def counted(encoded: str, *args: Any, **kwargs: Any) -> Any:
        decoded.append(encoded)
        return decode(encoded, *args, **kwargs)

    monkeypatch.setattr(jwt, "decode_complete", counted)
    verifier = TokenVerifier(TEST_SECRET_KEY)
    access_token = token()
    principals = [verifier.principal(access_token) for _ in range(3)]
    assert principals == [Principal(user_id=7, role=Role.TECHNICIAN)] * 3
    assert decoded == [access_token]


def test_a_remembered_token_still_expires(monkeypatch: pytest.MonkeyPatch) -> None:
    verifier = TokenVerifier(TEST_SECRET_KEY)
    access_token = token(lifetime=timedelta(minutes=5))
    verifier.principal(access_token)
    later = utc_now() + timedelta(minutes=5, seconds=1)
    monkeypatch.setattr(security, "utc_now", lambda: later)
    with pytest.raises(InvalidTokenError, match="expired"):
        verifier.principal(access_token)


@pytest.mark.parametrize("typ", ["at+jwt", "application/at+jwt", "AT+JWT"])
def test_the_access_token_type_is_read_in_either_form_and_any_case(typ: str) -> None:
    # RFC 9068 section 4: "at+jwt" or "application/at+jwt"; media types ignore case.
    claims = {"sub": "7", "role": "technician", "aud": security.AUDIENCE, "exp": 2**40}
    forged = jwt.encode(claims, TEST_SECRET_KEY, algorithm="HS256", headers={"typ": typ})
    assert TokenVerifier(TEST_SECRET_KEY).principal(forged).user_id == 7


def test_an_altered_token_is_verified_anew_and_refused() -> None:
    verifier = TokenVerifier(TEST_SECRET_KEY)
    header, _, signature = token().split(".")
    admin_claims = create_access_token(
        Principal(user_id=7, role=Role.ADMIN), secret_key=TEST_SECRET_KEY, lifetime=timedelta(1)
    ).split(".")[1]
    verifier.principal(token())
    with pytest.raises(InvalidTokenError):
        verifier.principal(f"{header}.{admin_claims}.{signature}")


def test_a_bad_token_is_refused_without_a_database_trip(
    client: TestClient, hops: Hops, ticket: dict[str, Any]
) -> None:
    hops.reset()
    response = client.get(f"{TICKETS}/{ticket['id']}", headers={"Authorization": "Bearer nope"})
    assert (response.status_code, response.json()) == (401, REFUSED)
    assert response.headers["WWW-Authenticate"] == "Bearer"
    assert hops.count == 0


def test_a_token_that_never_granted_admin_is_refused_without_a_database_trip(
    client: TestClient, hops: Hops, tech_headers: Headers, ticket: dict[str, Any]
) -> None:
    hops.reset()
    assert client.delete(f"{TICKETS}/{ticket['id']}", headers=tech_headers).status_code == 403
    assert hops.count == 0


# --- the account, checked in the same trip as the work ----------------------------------------


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("GET", f"{TICKETS}/{{id}}"),
        ("POST", TICKETS),
        ("PATCH", f"{TICKETS}/{{id}}"),
        ("GET", f"{USERS}/me"),
    ],
)
def test_a_deactivated_user_gets_401_at_the_very_next_request_in_one_hop(
    app: FastAPI,
    client: TestClient,
    admin_headers: Headers,
    technician: Principal,
    tech_headers: Headers,
    ticket: dict[str, Any],
    valid_ticket: dict[str, Any],
    hops: Hops,
    method: str,
    path: str,
) -> None:
    deactivate = {"is_active": False}
    changed = client.patch(f"{USERS}/{technician.user_id}", json=deactivate, headers=admin_headers)
    assert changed.status_code == 200
    hops.reset()
    body = valid_ticket if method == "POST" else {"notes": "x"} if method == "PATCH" else None
    response = client.request(method, path.format(id=ticket["id"]), json=body, headers=tech_headers)
    assert (response.status_code, response.json()) == (401, REFUSED)
    assert response.headers["WWW-Authenticate"] == "Bearer"
    hops.assert_one_database_trip(app)


def test_a_demoted_admin_gets_403_at_the_very_next_request_in_one_hop(
    app: FastAPI,
    client: TestClient,
    admin: Principal,
    admin_headers: Headers,
    database_url: str,
    password_hash: str,
    ticket: dict[str, Any],
    hops: Hops,
) -> None:
    other_admin = add_user(database_url, "second@example.com", Role.ADMIN, password_hash)
    demote = {"role": "technician"}
    changed = client.patch(f"{USERS}/{admin.user_id}", json=demote, headers=bearer(other_admin))
    assert changed.status_code == 200
    path = f"{TICKETS}/{ticket['id']}"
    hops.reset()
    # The old token still says admin: the account, read in the same trip, says otherwise.
    refused = client.delete(path, headers=admin_headers)
    assert (refused.status_code, refused.json()) == (403, {"detail": "Admins only"})
    hops.assert_one_database_trip(app)
    assert client.get(USERS, headers=admin_headers).status_code == 403
    assert client.get(path, headers=admin_headers).status_code == 200  # still staff


def test_a_demotion_behind_the_apis_back_counts_at_once_too(
    client: TestClient, admin: Principal, admin_headers: Headers, database_url: str
) -> None:
    assert client.get(USERS, headers=admin_headers).status_code == 200
    change_in_database(
        database_url, update(User).where(User.id == admin.user_id).values(role=Role.TECHNICIAN)
    )
    assert client.get(USERS, headers=admin_headers).status_code == 403


def test_a_deleted_users_token_stops_working_at_once(
    client: TestClient, technician: Principal, tech_headers: Headers, database_url: str
) -> None:
    assert client.get(f"{USERS}/me", headers=tech_headers).status_code == 200
    change_in_database(database_url, delete(User).where(User.id == technician.user_id))
    response = client.get(f"{USERS}/me", headers=tech_headers)
    assert (response.status_code, response.json()) == (401, REFUSED)


def test_a_promotion_needs_a_new_token(
    client: TestClient, admin_headers: Headers, technician: Principal, tech_headers: Headers
) -> None:
    """A token is a grant that can only shrink: the one issued to a technician stays one."""
    promote = {"role": "admin"}
    client.patch(f"{USERS}/{technician.user_id}", json=promote, headers=admin_headers)
    assert client.get(USERS, headers=tech_headers).status_code == 403
    login = client.post(TOKEN_URL, data={"username": TECHNICIAN_EMAIL, "password": PASSWORD})
    new_headers = {"Authorization": f"Bearer {login.json()['access_token']}"}
    assert client.get(USERS, headers=new_headers).status_code == 200
