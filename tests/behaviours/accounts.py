"""Lesson 08's admin users API: admins manage accounts, and a change counts at once.

Kept by every later lesson and the final app. Each lesson's conftest says where the routes are
(`users_path`, `token_path`), who signs in (`admin`, `technician`: their `user_id`), with which
headers (`admin_headers`, `tech_headers`) and the technician's sign-in form (`technician_form`).
"""

from typing import Any

import pytest
from fastapi.testclient import TestClient

Headers = dict[str, str]


# --- listing and creating ---------------------------------------------------------------------


def test_an_admin_lists_every_user_page_by_page(
    anonymous_client: TestClient, users_path: str, admin_headers: Headers, technician: Any
) -> None:
    client = anonymous_client
    first = client.get(users_path, params={"limit": 1}, headers=admin_headers).json()
    second = client.get(users_path, params={"limit": 1, "offset": 1}, headers=admin_headers).json()
    assert (first["total"], first["limit"], first["offset"]) == (2, 1, 0)
    assert [user["role"] for user in first["items"] + second["items"]] == ["admin", "technician"]
    assert all("password" not in key for key in first["items"][0])


def test_a_technician_may_not_list_users(
    anonymous_client: TestClient, users_path: str, tech_headers: Headers
) -> None:
    assert anonymous_client.get(users_path, headers=tech_headers).status_code == 403


def test_an_admin_creates_a_user_who_can_sign_in(
    anonymous_client: TestClient, users_path: str, token_path: str, admin_headers: Headers
) -> None:
    new_user = {"email": "Grace@Example.com", "password": "a long enough password"}
    response = anonymous_client.post(users_path, json=new_user, headers=admin_headers)
    assert response.status_code == 201, response.text
    body = response.json()
    assert (body["email"], body["role"], body["is_active"]) == (
        "grace@example.com",
        "technician",
        True,
    )
    assert "password" not in str(body)
    assert "hash" not in str(body)
    form = {"username": "grace@example.com", "password": new_user["password"]}
    assert anonymous_client.post(token_path, data=form).status_code == 200


def test_an_email_has_one_account(
    anonymous_client: TestClient, users_path: str, admin_headers: Headers
) -> None:
    new_user = {"email": "grace@example.com", "password": "a long enough password"}
    assert (
        anonymous_client.post(users_path, json=new_user, headers=admin_headers).status_code == 201
    )
    again = {**new_user, "email": "GRACE@example.com"}
    response = anonymous_client.post(users_path, json=again, headers=admin_headers)
    assert response.status_code == 409
    assert response.json() == {"detail": "A user with email grace@example.com already exists"}


def test_a_technician_may_not_create_users(
    anonymous_client: TestClient, users_path: str, tech_headers: Headers
) -> None:
    new_admin = {
        "email": "mallory@example.com",
        "password": "a long enough password",
        "role": "admin",
    }
    assert (
        anonymous_client.post(users_path, json=new_admin, headers=tech_headers).status_code == 403
    )


# --- changing a user --------------------------------------------------------------------------


def test_an_admin_promotes_a_technician(
    anonymous_client: TestClient, users_path: str, admin_headers: Headers, technician: Any
) -> None:
    response = anonymous_client.patch(
        f"{users_path}/{technician.user_id}", json={"role": "admin"}, headers=admin_headers
    )
    assert response.status_code == 200
    assert (response.json()["role"], response.json()["is_active"]) == ("admin", True)


@pytest.mark.parametrize(
    "body",
    [{"role": "owner"}, {"is_active": None}, {"role": None}, {"email": "x@example.com"}],
    ids=["unknown-role", "null-active", "null-role", "not-editable"],
)
def test_a_bad_change_is_422(
    anonymous_client: TestClient,
    users_path: str,
    admin_headers: Headers,
    technician: Any,
    body: dict[str, Any],
) -> None:
    path = f"{users_path}/{technician.user_id}"
    assert anonymous_client.patch(path, json=body, headers=admin_headers).status_code == 422


def test_changing_an_unknown_user_is_404(
    anonymous_client: TestClient, users_path: str, admin_headers: Headers
) -> None:
    path = f"{users_path}/9999"
    response = anonymous_client.patch(path, json={"is_active": False}, headers=admin_headers)
    assert (response.status_code, response.json()) == (404, {"detail": "User 9999 not found"})


def test_a_technician_may_not_change_users(
    anonymous_client: TestClient, users_path: str, tech_headers: Headers, technician: Any
) -> None:
    path = f"{users_path}/{technician.user_id}"
    assert (
        anonymous_client.patch(path, json={"role": "admin"}, headers=tech_headers).status_code
        == 403
    )


@pytest.mark.parametrize("change", [{"role": "technician"}, {"is_active": False}])
def test_the_last_active_admin_stays_one(
    anonymous_client: TestClient,
    users_path: str,
    admin: Any,
    admin_headers: Headers,
    change: dict[str, Any],
) -> None:
    path = f"{users_path}/{admin.user_id}"
    response = anonymous_client.patch(path, json=change, headers=admin_headers)
    assert response.status_code == 409
    assert "last active admin" in response.json()["detail"]
    me = anonymous_client.get(f"{users_path}/me", headers=admin_headers).json()
    assert (me["role"], me["is_active"]) == ("admin", True)


# --- a change counts at the user's very next request ------------------------------------------


def test_a_demoted_admin_loses_admin_rights_at_once(
    anonymous_client: TestClient,
    users_path: str,
    technician: Any,
    admin_headers: Headers,
) -> None:
    """Demoted, an admin's token still says admin, and is not believed."""
    client = anonymous_client
    promote = client.patch(
        f"{users_path}/{technician.user_id}", json={"role": "admin"}, headers=admin_headers
    )
    assert promote.status_code == 200  # another admin, so that this one may step down
    me = client.get(f"{users_path}/me", headers=admin_headers).json()
    demote = client.patch(
        f"{users_path}/{me['id']}", json={"role": "technician"}, headers=admin_headers
    )
    assert demote.status_code == 200
    assert client.get(users_path, headers=admin_headers).status_code == 403
    assert client.get(f"{users_path}/me", headers=admin_headers).status_code == 200  # still staff


@pytest.mark.parametrize("where", ["tickets", "me"])
def test_a_deactivated_user_is_401_everywhere_at_once(
    anonymous_client: TestClient,
    users_path: str,
    tickets_path: str,
    admin_headers: Headers,
    technician: Any,
    tech_headers: Headers,
    where: str,
) -> None:
    deactivate = {"is_active": False}
    anonymous_client.patch(
        f"{users_path}/{technician.user_id}", json=deactivate, headers=admin_headers
    )
    path = tickets_path if where == "tickets" else f"{users_path}/me"
    response = anonymous_client.get(path, headers=tech_headers)
    assert response.status_code == 401
    assert response.headers["WWW-Authenticate"] == "Bearer"


def test_a_deactivated_user_cannot_sign_in_and_a_reactivated_one_can(
    anonymous_client: TestClient,
    users_path: str,
    token_path: str,
    admin_headers: Headers,
    technician: Any,
    technician_form: dict[str, str],
) -> None:
    def sign_in() -> int:
        return anonymous_client.post(token_path, data=technician_form).status_code

    path = f"{users_path}/{technician.user_id}"
    anonymous_client.patch(path, json={"is_active": False}, headers=admin_headers)
    assert sign_in() == 400  # the same answer as a wrong password
    anonymous_client.patch(path, json={"is_active": True}, headers=admin_headers)
    assert sign_in() == 200


def test_openapi_documents_the_refused_and_the_throttled_sign_in(
    anonymous_client: TestClient, token_path: str
) -> None:
    document = anonymous_client.get("/openapi.json").json()
    responses = document["paths"][token_path]["post"]["responses"]
    # Both the OAuth2 error and a body that cannot be parsed answer 400; a client signing in
    # meets the first, so it is the one documented (the second's text once replaced it).
    refused = responses["400"]["content"]["application/json"]["schema"]["$ref"]
    assert refused.endswith("/OAuth2ErrorMessage"), refused
    assert "invalid_grant" in responses["400"]["description"]
    assert "Retry-After" in responses["429"]["headers"]
    assert "413" in responses  # a body over the limit
