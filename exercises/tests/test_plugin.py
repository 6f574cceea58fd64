"""What a learner reads when a check fails: the message, not pytest's introspection."""

import pytest

from exercises.loading import ExerciseLoadError
from exercises.plugin import explain


def explanation_of(error: BaseException) -> str:
    try:
        raise error
    except BaseException:
        return explain(pytest.ExceptionInfo.from_current())


def test_an_assertion_message_is_kept_and_introspection_dropped() -> None:
    error = AssertionError("GET /x should answer 200; it answered 404\nassert 404 == 200")
    assert explanation_of(error) == "GET /x should answer 200; it answered 404"


def test_an_assertion_without_a_message_still_says_something() -> None:
    assert explanation_of(AssertionError()).startswith("a check failed")


def test_a_todo_left_in_place_is_called_so() -> None:
    error = NotImplementedError("count the tickets")
    assert explanation_of(error) == "still to do: count the tickets"


def test_a_file_that_does_not_load_says_why() -> None:
    error = ExerciseLoadError("ex_1.py has a syntax error on line 3: invalid syntax")
    assert explanation_of(error) == "ex_1.py has a syntax error on line 3: invalid syntax"


def test_any_other_error_names_its_type() -> None:
    assert explanation_of(KeyError("status")) == "KeyError: 'status'"
