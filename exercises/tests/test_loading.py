"""Which file a check loads, and what a learner reads when it cannot be loaded."""

from pathlib import Path

import pytest

from exercises.catalog import SOLUTIONS, Exercise
from exercises.loading import SOURCE_VARIABLE, ExerciseLoadError, exercise_path, load

EXERCISE = Exercise("lesson_01_routing", "ex_1_ticket_count")


def test_by_default_the_learners_file_is_checked(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(SOURCE_VARIABLE, raising=False)
    assert exercise_path(EXERCISE) == EXERCISE.starting_point


def test_the_solution_can_stand_in_for_the_learners_file(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(SOURCE_VARIABLE, "solutions")
    assert exercise_path(EXERCISE) == SOLUTIONS / "lesson_01_routing" / "ex_1_ticket_count.py"
    assert load(EXERCISE).__name__ == EXERCISE.solution_module


def write_copy(folder: Path, code: str) -> None:
    (folder / "lesson_01_routing").mkdir()
    (folder / "lesson_01_routing" / "ex_1_ticket_count.py").write_text(code)


def test_a_syntax_error_is_reported_with_its_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    write_copy(tmp_path, "x = 1\ndef broken(:\n")
    monkeypatch.setenv(SOURCE_VARIABLE, str(tmp_path))
    with pytest.raises(ExerciseLoadError, match="syntax error on line 2"):
        load(EXERCISE)


def test_an_error_at_import_time_is_reported(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    write_copy(tmp_path, "import no_such_module_here\n")
    monkeypatch.setenv(SOURCE_VARIABLE, str(tmp_path))
    with pytest.raises(ExerciseLoadError, match="ModuleNotFoundError"):
        load(EXERCISE)
