"""Checks the `get_technician` dependency through `GET /my-tickets`.

--8<-- [start:hint]
A header is a parameter of the dependency: `x_technician: Annotated[str, Header()]` reads
`X-Technician` (FastAPI turns the underscore into a dash). Look the name up with
`TECHNICIANS.get(x_technician)` and, when that is `None`, raise an `HTTPException` with
status 401, `detail="Unknown technician"` and `headers={"WWW-Authenticate": "Technician"}`, as
the lesson's `get_caller` does with its own 401.
--8<-- [end:hint]
"""

import pytest
from fastapi.testclient import TestClient

from exercises.checks.words import answered, assert_refused


@pytest.mark.parametrize(("name", "ids"), [("ines", [1, 3]), ("tom", [2])])
def test_each_technician_gets_their_tickets(client: TestClient, name: str, ids: list[int]) -> None:
    response = client.get("/my-tickets", headers={"X-Technician": name})
    request = f"GET /my-tickets with X-Technician: {name}"
    assert response.status_code == 200, answered(request, response, 200)
    found = [ticket["id"] for ticket in response.json()]
    assert found == ids, f"{request} should list tickets {ids}; it lists {found}"


def test_an_unknown_technician_is_a_401_with_a_challenge(client: TestClient) -> None:
    response = client.get("/my-tickets", headers={"X-Technician": "mallory"})
    request = "GET /my-tickets with X-Technician: mallory"
    assert response.status_code == 401, answered(request, response, 401)
    assert response.json() == {"detail": "Unknown technician"}, (
        f'the 401 should answer {{"detail": "Unknown technician"}}; it answered {response.json()}'
    )
    challenge = response.headers.get("WWW-Authenticate")
    assert challenge == "Technician", (
        f"a 401 must say how to authenticate: WWW-Authenticate: Technician; it sent {challenge}"
    )


def test_a_missing_header_is_a_422_pointing_at_it(client: TestClient) -> None:
    response = client.get("/my-tickets")
    assert_refused("GET /my-tickets without X-Technician", response, ["header", "x-technician"])


def test_the_header_is_documented(client: TestClient) -> None:
    operation = client.get("/openapi.json").json()["paths"]["/my-tickets"]["get"]
    headers = [p["name"].lower() for p in operation.get("parameters", []) if p["in"] == "header"]
    assert "x-technician" in headers, (
        f"/docs should show the X-Technician header of GET /my-tickets; it shows {headers}"
    )
