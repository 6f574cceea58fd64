"""Checks the bounded `ticket_id` and the `status` path parameter.

--8<-- [start:hint]
A path parameter takes bounds like a query parameter, with `Path` instead of `Query`:
`ticket_id: Annotated[int, Path(ge=1)]`. For the new route, `@app.get("/statuses/{status}/tickets")`
over a function whose parameter `status: Status` has the same name as the `{status}` in the
path; `Status`, a `Literal`, is in the lesson's `app.py`.
--8<-- [end:hint]
"""

import pytest
from fastapi.testclient import TestClient

from exercises.checks.words import answered, assert_refused


@pytest.mark.parametrize("ticket_id", ["0", "-5"])
def test_an_id_below_one_is_a_422(client: TestClient, ticket_id: str) -> None:
    response = client.get(f"/tickets/{ticket_id}")
    assert_refused(f"GET /tickets/{ticket_id}", response, ["path", "ticket_id"])


def test_a_valid_id_still_works(client: TestClient) -> None:
    response = client.get("/tickets/2")
    assert response.status_code == 200, answered("GET /tickets/2", response, 200)
    unknown = client.get("/tickets/99")
    assert unknown.status_code == 404, answered("GET /tickets/99", unknown, 404)


@pytest.mark.parametrize(("status", "ids"), [("ready", [3]), ("received", [1])])
def test_the_tickets_in_one_status(client: TestClient, status: str, ids: list[int]) -> None:
    request = f"GET /statuses/{status}/tickets"
    response = client.get(f"/statuses/{status}/tickets")
    assert response.status_code == 200, answered(request, response, 200)
    found = [ticket["id"] for ticket in response.json()]
    assert found == ids, f"{request} should list tickets {ids}; it lists {found}"


def test_an_unknown_status_is_a_422(client: TestClient) -> None:
    response = client.get("/statuses/lost/tickets")
    assert_refused("GET /statuses/lost/tickets", response, ["path", "status"])
