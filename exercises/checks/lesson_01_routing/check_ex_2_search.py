"""Checks `GET /tickets/search`: a case-insensitive match and bounded query parameters.

--8<-- [start:hint]
Bounds on a query parameter go in its type: `q: Annotated[str, Query(min_length=2,
max_length=50)]` and `limit: Annotated[int, Query(ge=1, le=20)] = 5`, as the lesson does for
`/tickets`. To ignore case, compare both sides after `.casefold()` (or `.lower()`).
--8<-- [end:hint]
"""

import pytest
from fastapi.testclient import TestClient

from exercises.checks.words import answered, assert_refused


def search(client: TestClient, query: str) -> list[str]:
    response = client.get(f"/tickets/search?{query}")
    assert response.status_code == 200, answered(f"GET /tickets/search?{query}", response, 200)
    return [ticket["device_model"] for ticket in response.json()]


PIXELS = ["Pixel 8", "Pixel 7a"]


def test_search_finds_the_devices_that_match(client: TestClient) -> None:
    found = search(client, "q=Pixel")
    assert found == PIXELS, f"GET /tickets/search?q=Pixel should find {PIXELS}; got {found}"


def test_search_ignores_case(client: TestClient) -> None:
    found = search(client, "q=PIXEL")
    assert found == PIXELS, f"GET /tickets/search?q=PIXEL should find {PIXELS} too; got {found}"


def test_limit_caps_the_number_of_results(client: TestClient) -> None:
    found = search(client, "q=Pixel&limit=1")
    assert found == PIXELS[:1], (
        f"GET /tickets/search?q=Pixel&limit=1 should give 1 ticket; got {found}"
    )


@pytest.mark.parametrize(
    ("query", "parameter"),
    [
        ("q=p", "q"),
        (f"q={'x' * 51}", "q"),
        ("q=pixel&limit=0", "limit"),
        ("q=pixel&limit=21", "limit"),
    ],
    ids=["q too short", "q too long", "limit too small", "limit too big"],
)
def test_out_of_bounds_is_a_422_naming_the_parameter(
    client: TestClient, query: str, parameter: str
) -> None:
    response = client.get(f"/tickets/search?{query}")
    shown = query if len(query) < 30 else query[:20] + "..."
    assert_refused(f"GET /tickets/search?{shown}", response, ["query", parameter])
