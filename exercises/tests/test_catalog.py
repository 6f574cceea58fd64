"""The catalogue finds every exercise by name, with its task, hint, check and solution."""

from pathlib import Path

from exercises.catalog import Exercise, all_exercises, docstring_of, section


def test_a_section_is_the_text_between_its_markers() -> None:
    text = "Title.\n\n--8<-- [start:task]\nDo this.\nThen that.\n--8<-- [end:task]\nAfter."
    assert section(text, "task") == "Do this.\nThen that."


def test_a_missing_section_is_empty() -> None:
    assert section("no markers here", "hint") == ""


def test_an_exercise_is_named_after_its_lesson_and_number() -> None:
    exercise = Exercise("lesson_04_dependencies", "ex_2_override")
    assert exercise.label == "04.2"
    assert exercise.check.name == "check_ex_2_override.py"
    assert exercise.learner_module == "lessons.lesson_04_dependencies.exercises.ex_2_override"


def test_every_exercise_has_a_title_a_task_a_hint_a_check_and_a_solution() -> None:
    exercises = all_exercises()
    assert exercises, "no exercises found"
    for exercise in exercises:
        assert exercise.problems(starting_point=exercise.pristine) == [], exercise.label
        assert exercise.title != exercise.name, exercise.label


def test_a_file_with_a_syntax_error_still_has_its_docstring(tmp_path: Path) -> None:
    broken = tmp_path / "ex_1_broken.py"
    broken.write_text('"""Count the tickets.\n\nMore."""\n\ndef broken(:\n')
    assert docstring_of(broken) == "Count the tickets.\n\nMore."
