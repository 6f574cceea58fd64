"""Checks `require_role`: who may mark a repair ready, who may delete, and the 401/403 split.

--8<-- [start:hint]
Inside `check_role`, `roles` is the tuple `require_role` was called with: `if user.role not in
roles: raise HTTPException(403, detail=f"Requires role: {' or '.join(roles)}")`. To use it on
an endpoint, declare the user as `user: Annotated[User, Depends(require_role("technician",
"admin"))]`, as `delete_ticket` does.
--8<-- [end:hint]
"""

import pytest
from fastapi.testclient import TestClient

from exercises.checks.words import answered

TOKENS = {"ada": "ada-token", "tom": "tom-token", "fred": "fred-token"}


def as_user(name: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {TOKENS[name]}"}


@pytest.mark.parametrize("name", ["tom", "ada"])
def test_the_workshop_may_mark_a_repair_ready(client: TestClient, name: str) -> None:
    response = client.post("/tickets/7/ready", headers=as_user(name))
    assert response.status_code == 200, answered(f"{name} marking ticket 7 ready", response, 200)


def test_the_front_desk_may_not_mark_a_repair_ready(client: TestClient) -> None:
    response = client.post("/tickets/7/ready", headers=as_user("fred"))
    assert response.status_code == 403, answered(
        "fred (front desk) marking ticket 7 ready", response, 403
    )
    expected = {"detail": "Requires role: technician or admin"}
    assert response.json() == expected, (
        f"the 403 should answer {expected}; it answered {response.json()}"
    )


def test_an_admin_may_delete(client: TestClient) -> None:
    response = client.delete("/tickets/7", headers=as_user("ada"))
    assert response.status_code == 204, answered("ada (admin) deleting ticket 7", response, 204)


@pytest.mark.parametrize("name", ["tom", "fred"])
def test_nobody_else_may_delete(client: TestClient, name: str) -> None:
    response = client.delete("/tickets/7", headers=as_user(name))
    assert response.status_code == 403, answered(f"{name} deleting ticket 7", response, 403)
    expected = {"detail": "Requires role: admin"}
    assert response.json() == expected, (
        f"the 403 should answer {expected}; it answered {response.json()}"
    )


def test_without_a_token_it_is_still_a_401(client: TestClient) -> None:
    response = client.post("/tickets/7/ready")
    assert response.status_code == 401, answered(
        "marking a ticket ready without a token", response, 401
    )
