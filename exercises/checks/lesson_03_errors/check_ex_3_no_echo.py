"""Checks that a 422 keeps FastAPI's shape and rules but no longer repeats what the client sent.

--8<-- [start:hint]
Write `async def validation_failed(request: Request, exc: RequestValidationError) ->
JSONResponse`, like the lesson's `invalid_request`. `bounded(exc.errors())`, from the lesson's
`errors.py`, lists the errors as the lesson quotes them, dicts with `type`, `loc`, `msg`,
`input` and sometimes `ctx`: copy each without its `"input"` key, and answer
`ASCIIJSONResponse({"detail": [...]}, status_code=422)`. Register it after
`register_error_handlers(app)`, with `app.exception_handler(RequestValidationError)(...)`: the
last handler registered for an exception class is the one that answers.
--8<-- [end:hint]
"""

from typing import Any

from fastapi.testclient import TestClient

from exercises.checks.words import answered, error_locations

SECRET_NOTE = "Call me on +31 6 5555 0000, door code 4711. " * 60  # over 2000 characters
MISTYPED_EMAIL = "ada.lovelace@@example"


def refused(client: TestClient, valid_ticket: dict[str, Any]) -> Any:
    body = valid_ticket | {"customer_email": MISTYPED_EMAIL, "notes": SECRET_NOTE}
    response = client.post("/tickets", json=body)
    assert response.status_code == 422, answered("POST /tickets with two bad fields", response, 422)
    return response


def test_the_errors_still_say_where_and_why(
    client: TestClient, valid_ticket: dict[str, Any]
) -> None:
    response = refused(client, valid_ticket)
    locations = error_locations(response)
    for field in ("customer_email", "notes"):
        assert ["body", field] in locations, (
            f"the 422 should still point at {field}; it points at {locations}"
        )
    for error in response.json()["detail"]:
        assert error.get("msg"), f"each error keeps its `msg`; this one has none: {error}"


def test_no_error_has_an_input(client: TestClient, valid_ticket: dict[str, Any]) -> None:
    for error in refused(client, valid_ticket).json()["detail"]:
        assert "input" not in error, f"this error still repeats what was sent: {sorted(error)}"


def test_an_error_keeps_the_rule_it_broke(client: TestClient, valid_ticket: dict[str, Any]) -> None:
    errors = refused(client, valid_ticket).json()["detail"]
    notes: dict[str, Any] = next(
        (error for error in errors if error.get("loc") == ["body", "notes"]), {}
    )
    assert notes.get("type") == "string_too_long", (
        f"the error about notes should keep its type, string_too_long; it is {notes}"
    )
    assert notes.get("ctx") == {"max_length": 2000}, (
        f'the error about notes should keep its ctx, {{"max_length": 2000}}; it is {notes}'
    )


def test_nothing_the_client_sent_comes_back(
    client: TestClient, valid_ticket: dict[str, Any]
) -> None:
    text = refused(client, valid_ticket).text
    for sent in (MISTYPED_EMAIL, "door code 4711"):
        assert sent not in text, f"the 422 repeats what the client sent: {sent!r}"
