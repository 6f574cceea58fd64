"""Lesson 04 on its own: dependencies are plain functions and classes, testable without HTTP."""

from datetime import UTC, datetime
from decimal import Decimal

import pytest
from fastapi import HTTPException

from lessons.lesson_04_dependencies.dependencies import (
    Caller,
    Pagination,
    TicketFilter,
    get_caller,
    same_key,
)
from lessons.lesson_04_dependencies.schemas import TicketRead


def ticket(device_model: str, status: str = "received") -> TicketRead:
    return TicketRead.model_validate(
        {
            "id": 1,
            "customer_email": "ada@example.com",
            "device_model": device_model,
            "estimated_cost": Decimal("10.00"),
            "notes": "",
            "status": status,
            "opened_by": "front desk",
            "created_at": datetime.now(UTC),
        }
    )


def test_pagination_slices_a_sequence() -> None:
    assert Pagination(limit=2, offset=1).apply("abcde") == ["b", "c"]


def test_filter_without_criteria_matches_everything() -> None:
    assert TicketFilter().matches(ticket("Pixel 8"))


def test_filter_on_status_refuses_other_statuses() -> None:
    assert not TicketFilter(status="ready").matches(ticket("Pixel 8", status="received"))


def test_filter_on_device_ignores_case() -> None:
    assert TicketFilter(device="PIXEL").matches(ticket("pixel 8"))


@pytest.mark.parametrize(
    ("sent", "known", "same"),
    [("key", "key", True), ("key", "kez", False), ("ke", "key", False), ("keys", "key", False)],
)
def test_same_key_is_true_only_for_equal_keys(sent: str, known: str, same: bool) -> None:
    assert same_key(sent, known) is same


def test_known_key_gives_its_caller() -> None:
    assert get_caller("workshop-demo-key") == Caller(name="workshop")


def test_unknown_key_raises_a_401_with_a_challenge() -> None:
    with pytest.raises(HTTPException) as raised:
        get_caller("guessed-key")
    assert raised.value.status_code == 401
    assert raised.value.headers == {"WWW-Authenticate": "APIKey"}
