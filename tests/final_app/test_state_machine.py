"""The life cycle itself, without HTTP or a database: a unit test and properties."""

from __future__ import annotations

from itertools import pairwise

import pytest
from hypothesis import given
from hypothesis import strategies as st

from final_app.models import TicketStatus
from final_app.services.tickets import (
    NEXT_STATUSES,
    TransitionNotAllowedError,
    check_transition,
)

S = TicketStatus
FINAL = {S.COLLECTED, S.CANCELLED}


def test_the_happy_path_is_allowed_step_by_step() -> None:
    path = [S.RECEIVED, S.DIAGNOSING, S.REPAIRING, S.READY, S.COLLECTED]
    for current, to in pairwise(path):
        check_transition(current, to)


def test_final_statuses_allow_nothing() -> None:
    assert all(not NEXT_STATUSES[status] for status in FINAL)


@given(st.sampled_from(sorted(set(S) - FINAL)))
def test_every_open_status_can_be_cancelled(current: TicketStatus) -> None:
    check_transition(current, S.CANCELLED)


@given(st.sampled_from(list(S)), st.sampled_from(list(S)))
def test_a_refusal_names_the_allowed_moves(current: TicketStatus, to: TicketStatus) -> None:
    if to in NEXT_STATUSES[current]:
        check_transition(current, to)
        return
    with pytest.raises(TransitionNotAllowedError) as refusal:
        check_transition(current, to)
    assert set(refusal.value.allowed) == NEXT_STATUSES[current]
    assert f"from '{current}'" in str(refusal.value)


@given(st.lists(st.sampled_from(list(S)), max_size=20))
def test_no_sequence_of_moves_leaves_a_final_status_or_revisits_one(
    attempts: list[TicketStatus],
) -> None:
    current, visited = S.RECEIVED, [S.RECEIVED]
    for to in attempts:
        try:
            check_transition(current, to)
        except TransitionNotAllowedError:
            continue
        assert current not in FINAL
        current = to
        visited.append(to)
    assert len(visited) == len(set(visited))  # statuses only move forward
