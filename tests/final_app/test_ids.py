"""Ids are never reused: a deleted ticket's URL, or a deleted user's token, names nobody else."""

from __future__ import annotations

from typing import Any

from fastapi.testclient import TestClient
from sqlalchemy import create_engine, delete
from sqlalchemy.orm import Session

from final_app.models import Role, User
from tests.final_app.conftest import PASSWORD, add_user, bearer

Headers = dict[str, str]


def test_a_deleted_tickets_id_is_not_given_to_the_next_ticket(
    client: TestClient, admin_headers: Headers, valid_ticket: dict[str, Any]
) -> None:
    client.post("/api/v1/tickets", json=valid_ticket, headers=admin_headers)
    newest = client.post("/api/v1/tickets", json=valid_ticket, headers=admin_headers)
    assert client.delete(newest.headers["Location"], headers=admin_headers).status_code == 204
    following = client.post("/api/v1/tickets", json=valid_ticket, headers=admin_headers)
    assert following.json()["id"] > newest.json()["id"]
    assert client.get(newest.headers["Location"], headers=admin_headers).status_code == 404


def test_a_deleted_users_token_does_not_act_as_the_next_user(
    client: TestClient, admin_headers: Headers, database_url: str, password_hash: str
) -> None:
    departed = add_user(database_url, "departed@example.com", Role.TECHNICIAN, password_hash)
    engine = create_engine(database_url)
    with Session(engine) as session, session.begin():
        session.execute(delete(User).where(User.id == departed.user_id))
    engine.dispose()
    newcomer = {"email": "newcomer@example.com", "password": PASSWORD, "role": "admin"}
    created = client.post("/api/v1/users", json=newcomer, headers=admin_headers)
    assert created.json()["id"] != departed.user_id
    assert client.get("/api/v1/users/me", headers=bearer(departed)).status_code == 401
