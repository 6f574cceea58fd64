"""Managing accounts, and a change to one counting at that user's very next request.

Lesson 08's users API is tested by the shared behaviours (tests/behaviours/accounts.py), run
here too; what follows is the final app's own: the token's grant, and concurrent admins.
"""

from __future__ import annotations

import asyncio
from collections import Counter
from typing import Any

from fastapi.testclient import TestClient
from sqlalchemy import create_engine, func, select, update
from sqlalchemy.orm import Session

from final_app.config import Settings
from final_app.main import create_app
from final_app.models import Role, User
from final_app.security import Principal
from tests.behaviours.accounts import *  # noqa: F403
from tests.behaviours.accounts import Headers
from tests.final_app.conftest import PASSWORD, TECHNICIAN_EMAIL, add_user, bearer
from tests.support.asgi import started_client

USERS = "/api/v1/users"


def change_in_database(database_url: str, user_id: int, **values: Any) -> None:
    """What another admin, a script or a console does behind the API's back."""
    engine = create_engine(database_url)
    with Session(engine) as session, session.begin():
        session.execute(update(User).where(User.id == user_id).values(**values))
    engine.dispose()


def ticket_path(client: TestClient, headers: Headers, valid_ticket: dict[str, Any]) -> str:
    response = client.post("/api/v1/tickets", json=valid_ticket, headers=headers)
    assert response.status_code == 201
    return str(response.headers["Location"])


# --- changing a user --------------------------------------------------------------------------


def test_a_promotion_needs_a_new_token(
    client: TestClient, admin_headers: Headers, technician: Principal, tech_headers: Headers
) -> None:
    """A token is a grant that can only shrink: the one issued to a technician stays one."""
    client.patch(f"{USERS}/{technician.user_id}", json={"role": "admin"}, headers=admin_headers)
    assert client.get(USERS, headers=tech_headers).status_code == 403
    login = client.post(
        "/api/v1/auth/token", data={"username": TECHNICIAN_EMAIL, "password": PASSWORD}
    )
    new_headers = {"Authorization": f"Bearer {login.json()['access_token']}"}
    assert client.get(USERS, headers=new_headers).status_code == 200


def test_an_admin_may_step_down_while_another_remains(
    client: TestClient, admin: Principal, admin_headers: Headers, database_url: str
) -> None:
    add_user(database_url, "second@example.com", Role.ADMIN, "unused-hash")
    response = client.patch(
        f"{USERS}/{admin.user_id}", json={"role": "technician"}, headers=admin_headers
    )
    assert (response.status_code, response.json()["role"]) == (200, "technician")


def test_two_admins_demoting_each_other_at_once_leave_one_admin(
    settings: Settings, admin: Principal, database_url: str
) -> None:
    other = add_user(database_url, "second@example.com", Role.ADMIN, "unused-hash")
    app = create_app(settings.model_copy(update={"db_threads": 2}))

    async def demote_each_other() -> list[int]:
        async with started_client(app) as client:
            responses = await asyncio.gather(
                client.patch(
                    f"{USERS}/{other.user_id}", json={"role": "technician"}, headers=bearer(admin)
                ),
                client.patch(
                    f"{USERS}/{admin.user_id}", json={"role": "technician"}, headers=bearer(other)
                ),
            )
        return [response.status_code for response in responses]

    statuses = Counter(asyncio.run(demote_each_other()))
    assert statuses[200] == 1, statuses
    assert set(statuses) <= {200, 403, 409}  # the loser: no longer an admin, or the last one
    assert active_admins(database_url) == 1


def active_admins(database_url: str) -> int:
    engine = create_engine(database_url)
    with Session(engine) as session:
        count = session.scalar(select(func.count()).where(User.role == Role.ADMIN, User.is_active))
    engine.dispose()
    return count or 0


# --- revocation: a change counts at the very next request -------------------------------------


def test_an_admin_demoted_behind_the_apis_back_loses_admin_rights_at_once(
    client: TestClient,
    admin: Principal,
    admin_headers: Headers,
    database_url: str,
    valid_ticket: dict[str, Any],
) -> None:
    """Demoted behind the API's back, the old token still says admin, and is not believed."""
    ticket = ticket_path(client, admin_headers, valid_ticket)
    add_user(database_url, "second@example.com", Role.ADMIN, "unused-hash")
    change_in_database(database_url, admin.user_id, role=Role.TECHNICIAN)
    new_admin = {"email": "mallory@example.com", "password": PASSWORD, "role": "admin"}
    assert client.post(USERS, json=new_admin, headers=admin_headers).status_code == 403
    assert client.delete(ticket, headers=admin_headers).status_code == 403
    assert client.get(ticket, headers=admin_headers).status_code == 200  # still staff
