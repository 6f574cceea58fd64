"""Checks retried creates through the lesson's endpoint: one ticket per user and key and body.

Every request is a real `POST /api/v1/tickets` with an `Idempotency-Key`, sent by Ada or by
Tom; the check then counts the tickets in the database.

--8<-- [start:hint]
Ask two questions of the lookup and of what follows it. Which rows can the `select` find:
only this user's, or anyone's? The table's primary key is the pair of columns that makes a
key one user's, and `session.get` looks a row up by its primary key. And once a stored key is
found, what tells a true retry from a new request that reuses the key? Something about the
first request is stored beside its answer, and this request's counterpart is computed at the
top of the function.
--8<-- [end:hint]
"""

from typing import Any

from exercises.checks.lesson_11_scale.conftest import ADA, TOM, CreateResponse, Desk
from exercises.checks.words import answered
from lessons.lesson_11_scale.models import IdempotencyKey, Ticket

KEY = "intake-form-1042"  # what the intake app sends: the paper form's number
REPLAYED = "Idempotent-Replayed"
ADA_TICKET = {
    "customer_email": "grace@example.com",
    "device_model": "Pixel 8",
    "estimated_cost": "129.99",
    "notes": "Cracked screen, still boots.",
}
TOM_TICKET = {
    "customer_email": "linus@example.com",
    "device_model": "ThinkPad X1",
    "estimated_cost": "89.50",
}


def created(request: str, response: CreateResponse) -> dict[str, Any]:
    """The ticket of a 201, or a message that says what came back instead."""
    assert response.status_code == 201, answered(request, response, 201)
    ticket: dict[str, Any] = response.json()
    return ticket


def replayed(response: CreateResponse) -> bool:
    return response.headers.get(REPLAYED) == "true"


def test_a_retry_answers_the_first_ticket_and_creates_nothing(desk: Desk) -> None:
    first = created(
        "Ada's create with a new Idempotency-Key", desk.create(ADA_TICKET, user=ADA, key=KEY)
    )
    assert desk.calls == [KEY], (
        "the create did not go through this file's `create_ticket_once`; keep its name and "
        "its parameters `(session, data, *, user_id, key)`"
    )
    retry = desk.create(ADA_TICKET, user=ADA, key=KEY)
    again = created("Ada's retry with the same key and body", retry)
    assert again.get("id") == first.get("id"), (
        f"Ada's retry with the same key and body answered ticket {again.get('id')}; it should "
        f"answer the ticket her first request created, {first.get('id')}"
    )
    assert replayed(retry), (
        f"a retry's answer should say it is one, with `{REPLAYED}: true`: return "
        "`Created(ticket, replayed=True)`"
    )
    count = desk.count(Ticket)
    assert count == 1, f"a create and its retry stored {count} tickets; they should store one"


def test_a_key_is_one_users(desk: Desk) -> None:
    ada = created("Ada's create", desk.create(ADA_TICKET, user=ADA, key=KEY))
    response = desk.create(TOM_TICKET, user=TOM, key=KEY)
    if response.status_code == 201 and response.json().get("id") == ada.get("id"):
        raise AssertionError(
            f"Tom created a ticket with the key Ada had used, and got her ticket {ada['id']} "
            f"back, her customer's email ({ada.get('customer_email')}) and device with it: a "
            "key is one user's, and must never find another user's ticket"
        )
    if response.status_code == 409:
        raise AssertionError(
            "Tom's first create with his key was refused with 409 because Ada had used the "
            "same key: a key is one user's, so another user's key with the same value is new"
        )
    tom = created("Tom's create with the key Ada had used", response)
    assert not replayed(response), f"Tom's first create was answered as a retry ({REPLAYED})"
    assert tom.get("device_model") == TOM_TICKET["device_model"], (
        f"Tom's create answered {tom}, not his own ticket ({TOM_TICKET['device_model']})"
    )
    assert desk.count(Ticket) == 2, "Ada's and Tom's creates should store two tickets"
    retry = desk.create(TOM_TICKET, user=TOM, key=KEY)
    assert created("Tom's retry", retry).get("id") == tom.get("id"), (
        f"Tom's retry answered ticket {retry.json().get('id')}, not his own, {tom.get('id')}"
    )


def test_the_same_key_with_another_body_is_a_409(desk: Desk) -> None:
    first = created("Ada's create", desk.create(ADA_TICKET, user=ADA, key=KEY))
    corrected = {**ADA_TICKET, "estimated_cost": "149.99"}
    response = desk.create(corrected, user=ADA, key=KEY)
    if response.status_code == 201:
        raise AssertionError(
            f"Ada sent her key again with the estimate corrected to 149.99, and got 201 with "
            f"ticket {response.json().get('id')} at {response.json().get('estimated_cost')}, as "
            "if the correction were saved: it is lost without a word. The same key with "
            "another body is the client's mistake, to refuse with KeyReusedError (409)"
        )
    assert response.status_code == 409, answered(
        "Ada's key sent again with another body", response, 409
    )
    assert "detail" in response.json(), f"the 409 should say why in `detail`: {response.json()}"
    count = desk.count(Ticket)
    assert count == 1, f"a refused request stored a ticket: there are {count}"
    retry = desk.create(ADA_TICKET, user=ADA, key=KEY)
    assert created("Ada's retry with her first body", retry).get("id") == first.get("id"), (
        "after the 409, a retry with the first body should still answer the first ticket"
    )


def test_an_expired_key_is_forgotten(desk: Desk) -> None:
    first = created("Ada's create", desk.create(ADA_TICKET, user=ADA, key=KEY))
    desk.let_the_keys_expire()
    response = desk.create(ADA_TICKET, user=ADA, key=KEY)
    later = created("Ada's create with a key that has expired", response)
    assert later.get("id") != first.get("id"), (
        "a key past its expiry should be forgotten, and its next use create a new ticket; it "
        f"answered ticket {first.get('id')} again: keep `forget_expired_keys(session)`"
    )
    assert not replayed(response), f"a new ticket was answered as a retry ({REPLAYED})"
    assert desk.count(IdempotencyKey) == 1, (
        f"{desk.count(IdempotencyKey)} keys are stored; the expired one should be gone"
    )
