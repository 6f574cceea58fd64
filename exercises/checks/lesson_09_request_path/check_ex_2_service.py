"""Checks the service without HTTP (a schema out, `NotFoundError` raised), then the endpoint.

The service is called the way a command-line tool or a test would: with a session of its own,
committed and closed before the result is read. An ORM object in the result would then raise
`DetachedInstanceError`; a schema holds plain data and does not care.

--8<-- [start:hint]
Move the query into `summarize_customer` and run it on the `session` it is given:
`found = session.scalars(select(Ticket).where(Ticket.customer_email == customer_email)).all()`
(or let the database count: `select(Ticket.status, func.count(),
func.sum(Ticket.estimated_cost)) ... .group_by(Ticket.status)`). Raise
`NotFoundError(f"No tickets for {customer_email}")` when there are none, and build the
`CustomerSummary` there, while the session is open. The endpoint keeps `StaffDatabase` and
becomes `return await database.run(summarize_customer, customer_email)`.
--8<-- [end:hint]
"""

from collections.abc import Callable
from decimal import Decimal
from types import ModuleType
from typing import Any

import pytest
from pydantic import BaseModel
from sqlalchemy.orm import Session
from starlette.exceptions import HTTPException

from exercises.checks.lesson_09_request_path.conftest import DEACTIVATED, Desk
from exercises.checks.words import answered
from lessons.lesson_09_request_path.services.errors import NotFoundError

SUMMARY = "/api/v1/customers/{}/summary"
ADA = {
    "customer_email": "ada@example.com",
    "tickets_by_status": {
        "received": 1,
        "diagnosing": 0,
        "repairing": 1,
        "ready": 0,
        "collected": 1,
        "cancelled": 1,
    },
    "open_estimate": Decimal("219.49"),  # 129.99 repairing + 89.50 received
}


def plain(summary: dict[str, Any]) -> dict[str, Any]:
    """A summary as JSON gives it, with the estimate as a number, whatever its decimals."""
    return {**summary, "open_estimate": Decimal(str(summary.get("open_estimate")))}


def summarize(desk: Desk, service: Callable[[Session, str], Any], customer_email: str) -> Any:
    """Call the service as a script would: its own session, committed and closed, then read."""
    with Session(desk.database.engine) as session:
        result = service(session, customer_email)
        session.commit()  # and, leaving the block, closed: ORM objects are now detached
    return result


def test_the_service_returns_a_schema(desk: Desk, module: ModuleType) -> None:
    result = summarize(desk, module.summarize_customer, "ada@example.com")
    assert isinstance(result, BaseModel), (
        "summarize_customer should return a CustomerSummary, a Pydantic model that needs no "
        f"session once built; it returned {type(result).__name__}"
    )
    summary = plain(result.model_dump(mode="json"))
    assert summary == ADA, f"summarize_customer gave {summary} for ada; it should give {ADA}"


def test_a_customer_without_tickets_is_not_found_without_http(
    desk: Desk, module: ModuleType
) -> None:
    try:
        result = summarize(desk, module.summarize_customer, "nobody@example.com")
    except NotFoundError:
        return
    except HTTPException as error:
        raise AssertionError(
            f"summarize_customer raised HTTPException({error.status_code}): a service knows "
            "nothing of HTTP, since a command or a job may call it; raise NotFoundError "
            "(services/errors.py), which errors.py answers with 404"
        ) from None
    raise AssertionError(
        f"summarize_customer returned {result!r} for a customer with no tickets; "
        "it should raise NotFoundError"
    )


def test_the_endpoint_answers_from_the_service_in_one_trip(
    desk: Desk, module: ModuleType, monkeypatch: pytest.MonkeyPatch
) -> None:
    called: list[str] = []
    service = module.summarize_customer

    def watched(session: Session, customer_email: str) -> Any:
        called.append(customer_email)
        return service(session, customer_email)

    monkeypatch.setattr(module, "summarize_customer", watched)
    url = SUMMARY.format("ada@example.com")
    response = desk.get(url)
    assert response.status_code == 200, answered(f"GET {url}", response, 200)
    assert called == ["ada@example.com"], (
        f"GET {url} should get its answer from summarize_customer, in one "
        f"`database.run(summarize_customer, customer_email)`; it called it {len(called)} times"
    )
    assert plain(response.json()) == ADA, f"GET {url} answered {response.json()}, not {ADA}"
    assert desk.trips.runs == 1, f"GET {url} took {desk.trips.describe()}; one trip is enough"


def test_a_customer_without_tickets_is_a_404(desk: Desk) -> None:
    url = SUMMARY.format("nobody@example.com")
    response = desk.get(url)
    assert response.status_code == 404, answered(f"GET {url}", response, 404)
    assert "detail" in response.json(), f"the 404 should say why in `detail`: {response.json()}"


def test_only_signed_in_staff_may_read_a_summary(desk: Desk) -> None:
    url = SUMMARY.format("ada@example.com")
    for user, who in [(None, "without a token"), (DEACTIVATED, "for a deactivated account")]:
        response = desk.get(url, user=user)
        assert response.status_code == 401, answered(f"GET {url} {who}", response, 401)
