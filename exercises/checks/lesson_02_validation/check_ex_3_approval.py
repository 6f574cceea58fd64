"""Checks the approval rule: above 300 euros, no ticket without `customer_approved: true`.

--8<-- [start:hint]
Decorate a method of `TicketCreate` with `@model_validator(mode="after")` (from `pydantic`):
it receives `self` with every field already validated, and returns `self`. In it, `if
self.estimated_cost > APPROVAL_ABOVE and not self.customer_approved: raise ValueError("...")`.
Its return annotation is `Self` (from `typing`).
--8<-- [end:hint]
"""

from typing import Any

import pytest
from fastapi.testclient import TestClient

from exercises.checks.words import answered


def body(valid_ticket: dict[str, Any], cost: str, approved: bool | None) -> dict[str, Any]:
    ticket = valid_ticket | {"estimated_cost": cost}
    return ticket if approved is None else ticket | {"customer_approved": approved}


@pytest.mark.parametrize(
    ("cost", "approved"),
    [("350.00", True), ("300.00", None), ("300.00", False), ("89.90", None)],
    ids=["above, approved", "at the limit", "at the limit, not approved", "cheap"],
)
def test_these_tickets_are_accepted(
    client: TestClient, valid_ticket: dict[str, Any], cost: str, approved: bool | None
) -> None:
    response = client.post("/tickets", json=body(valid_ticket, cost, approved))
    shown = f"POST /tickets, cost {cost}, customer_approved={approved}"
    assert response.status_code == 201, answered(shown, response, 201)


@pytest.mark.parametrize("approved", [False, None], ids=["not approved", "approval left out"])
def test_above_the_limit_without_approval_is_a_422_that_says_why(
    client: TestClient, valid_ticket: dict[str, Any], approved: bool | None
) -> None:
    response = client.post("/tickets", json=body(valid_ticket, "350.00", approved))
    shown = f"POST /tickets, cost 350.00, customer_approved={approved}"
    assert response.status_code == 422, answered(shown, response, 422)
    messages = " ".join(error["msg"] for error in response.json()["detail"]).lower()
    assert "approv" in messages, f"the 422 should say that approval is needed; it says {messages!r}"
