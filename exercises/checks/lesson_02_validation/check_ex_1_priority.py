"""Checks the ticket's `priority`: three values, a default, refused otherwise, answered back.

--8<-- [start:hint]
A fixed set of values is a `Literal`: declare `Priority = Literal["low", "normal", "urgent"]`
once and use it in both models. In the input model a default makes the field optional
(`priority: Priority = "normal"`); the output model only needs `priority: Priority`.
--8<-- [end:hint]
"""

from typing import Any

import pytest
from fastapi.testclient import TestClient

from exercises.checks.words import answered, assert_refused


def open_ticket(client: TestClient, body: dict[str, Any]) -> dict[str, Any]:
    shown = f"POST /tickets with priority={body.get('priority', '(none)')!r}"
    response = client.post("/tickets", json=body)
    assert response.status_code == 201, answered(shown, response, 201)
    created: dict[str, Any] = response.json()
    return created


@pytest.mark.parametrize("priority", ["low", "normal", "urgent"])
def test_a_known_priority_is_accepted_and_answered_back(
    client: TestClient, valid_ticket: dict[str, Any], priority: str
) -> None:
    created = open_ticket(client, valid_ticket | {"priority": priority})
    assert created.get("priority") == priority, (
        f"the created ticket should say priority={priority!r}; it says {created.get('priority')!r}"
    )


def test_without_a_priority_the_ticket_is_normal(
    client: TestClient, valid_ticket: dict[str, Any]
) -> None:
    created = open_ticket(client, valid_ticket)
    assert created.get("priority") == "normal", (
        f"a ticket sent without a priority should be 'normal'; it is {created.get('priority')!r}"
    )


def test_an_unknown_priority_is_a_422_pointing_at_priority(
    client: TestClient, valid_ticket: dict[str, Any]
) -> None:
    response = client.post("/tickets", json=valid_ticket | {"priority": "asap"})
    assert_refused("POST /tickets with priority='asap'", response, ["body", "priority"])
    assert response.json()["detail"][0]["type"] == "literal_error", (
        "priority='asap' should be refused because it is not one of the three values, "
        f"not for this reason: {response.json()['detail'][0]['msg']}"
    )
