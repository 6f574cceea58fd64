"""Lesson 05's timestamps: timezone-aware UTC in Python on every database, naive ones refused.

The column type is read from the lesson's own model (`ticket_row` builds one): what the tests
call is what every `created_at` and `updated_at` goes through.
"""

from collections.abc import Callable
from datetime import UTC, datetime, timedelta, timezone
from typing import Any

import pytest
from sqlalchemy.dialects import sqlite

PARIS_SUMMER = timezone(timedelta(hours=2))
DIALECT = sqlite.dialect()


def timestamp_type(ticket_row: Callable[..., Any]) -> Any:
    return type(ticket_row()).__table__.c.created_at.type


def test_a_naive_datetime_is_refused_not_guessed(ticket_row: Callable[..., Any]) -> None:
    with pytest.raises(ValueError, match="naive"):
        timestamp_type(ticket_row).process_bind_param(datetime(2026, 7, 1, 12), DIALECT)


def test_an_aware_datetime_is_stored_as_the_same_instant_in_utc(
    ticket_row: Callable[..., Any],
) -> None:
    stored = timestamp_type(ticket_row).process_bind_param(
        datetime(2026, 7, 1, 14, tzinfo=PARIS_SUMMER), DIALECT
    )
    assert stored == datetime(2026, 7, 1, 12, tzinfo=UTC)
    assert stored.utcoffset() == timedelta(0)


def test_what_sqlite_hands_back_without_a_zone_is_read_as_utc(
    ticket_row: Callable[..., Any],
) -> None:
    read = timestamp_type(ticket_row).process_result_value(datetime(2026, 7, 1, 12), DIALECT)
    assert read == datetime(2026, 7, 1, 12, tzinfo=UTC)
    assert read.tzinfo is UTC


def test_what_postgresql_hands_back_in_another_zone_is_read_as_utc(
    ticket_row: Callable[..., Any],
) -> None:
    read = timestamp_type(ticket_row).process_result_value(
        datetime(2026, 7, 1, 14, tzinfo=PARIS_SUMMER), DIALECT
    )
    assert read == datetime(2026, 7, 1, 12, tzinfo=UTC)
    assert read.utcoffset() == timedelta(0)


def test_a_missing_timestamp_stays_missing(ticket_row: Callable[..., Any]) -> None:
    column = timestamp_type(ticket_row)
    assert column.process_bind_param(None, DIALECT) is None
    assert column.process_result_value(None, DIALECT) is None
