"""Checks the ticket's `imei`: 15 digits with a valid check digit, normalised, refused otherwise.

--8<-- [start:hint]
A `@field_validator("imei")` (a `@classmethod` on `TicketCreate`) receives the string and
returns the value to keep: remove spaces and dashes with `str.replace`, then `raise
ValueError("...")` when the result is not 15 digits (`len`, `str.isdigit`) or when
`luhn_valid` says no. Pydantic turns the `ValueError` into a 422 whose `msg` is your text.
--8<-- [end:hint]
"""

from typing import Any

import pytest
from fastapi.testclient import TestClient

from exercises.checks.words import answered, assert_refused

VALID_IMEI = "490154203237518"


def test_a_valid_imei_is_accepted(client: TestClient, valid_ticket: dict[str, Any]) -> None:
    response = client.post("/tickets", json=valid_ticket | {"imei": VALID_IMEI})
    assert response.status_code == 201, answered(f"POST /tickets, imei={VALID_IMEI}", response, 201)
    assert response.json()["imei"] == VALID_IMEI


@pytest.mark.parametrize("written", ["49-015420-323751-8", "49 015420 323751 8"])
def test_an_imei_with_separators_is_stored_as_digits(
    client: TestClient, valid_ticket: dict[str, Any], written: str
) -> None:
    response = client.post("/tickets", json=valid_ticket | {"imei": written})
    assert response.status_code == 201, answered(f"POST /tickets, imei={written!r}", response, 201)
    stored = response.json()["imei"]
    assert stored == VALID_IMEI, (
        f"imei {written!r} should be stored as {VALID_IMEI!r}, not {stored!r}"
    )


@pytest.mark.parametrize(
    "imei",
    ["49015420323751", "4901542032375180", "49015420323751A", "490154203237519"],
    ids=["14 digits", "16 digits", "a letter", "wrong check digit"],
)
def test_an_invalid_imei_is_a_422_pointing_at_imei(
    client: TestClient, valid_ticket: dict[str, Any], imei: str
) -> None:
    response = client.post("/tickets", json=valid_ticket | {"imei": imei})
    assert_refused(f"POST /tickets, imei={imei!r}", response, ["body", "imei"])
