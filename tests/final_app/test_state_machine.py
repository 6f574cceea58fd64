"""The life cycle itself, without HTTP or a database: a unit test and properties."""

from __future__ import annotations

from itertools import pairwise, product

import pytest
from hypothesis import given
from hypothesis import strategies as st

from final_app.models import TicketStatus
from final_app.services.tickets import TransitionNotAllowedError, check_transition

S = TicketStatus
FINAL = {S.COLLECTED, S.CANCELLED}
# The life cycle as the spec states it, written out here rather than read from the code.
ALLOWED = {
    (S.RECEIVED, S.DIAGNOSING),
    (S.DIAGNOSING, S.REPAIRING),
    (S.REPAIRING, S.READY),
    (S.READY, S.COLLECTED),
    *((status, S.CANCELLED) for status in set(S) - FINAL),
}


def test_the_happy_path_is_allowed_step_by_step() -> None:
    path = [S.RECEIVED, S.DIAGNOSING, S.REPAIRING, S.READY, S.COLLECTED]
    for current, to in pairwise(path):
        check_transition(current, to)


@pytest.mark.parametrize(("current", "to"), sorted(product(S, S)))
def test_every_move_is_allowed_or_refused_as_the_spec_says(
    current: TicketStatus, to: TicketStatus
) -> None:
    if (current, to) in ALLOWED:
        check_transition(current, to)
        return
    with pytest.raises(TransitionNotAllowedError) as refusal:
        check_transition(current, to)
    assert set(refusal.value.allowed) == {next_ for now, next_ in ALLOWED if now == current}
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
