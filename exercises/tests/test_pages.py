"""Every exercise is on its lesson's page (task and hint included) and on a solutions page.

Pages whose "## Exercises" heading is not written yet are left out: the lesson's author adds
the heading, then `python -m exercises pages NN` prints what goes under it.
"""

import pytest

from exercises.catalog import LESSONS, Exercise, all_exercises
from exercises.pages import anchor, lesson_page, relative, solution_files, solutions_page

HEADING = "\n## Exercises\n"


def exercises_section(exercise: Exercise) -> str | None:
    page = lesson_page(LESSONS / exercise.lesson)
    text = page.read_text() if page else ""
    return text.split(HEADING, 1)[1] if HEADING in text else None


ON_PAGES = [e for e in all_exercises() if exercises_section(e) is not None]


@pytest.mark.parametrize("exercise", ON_PAGES, ids=lambda e: e.label)
def test_the_lesson_page_includes_the_task_and_the_hint(exercise: Exercise) -> None:
    section = exercises_section(exercise) or ""
    task = relative(exercise.starting_point)
    task += "/__init__.py" if exercise.starting_point.is_dir() else ""
    assert f'--8<-- "{task}:task"' in section
    assert f'--8<-- "{relative(exercise.check)}:hint"' in section
    assert f"{solutions_page(LESSONS / exercise.lesson).name}#{anchor(exercise)}" in section


@pytest.mark.parametrize("exercise", ON_PAGES, ids=lambda e: e.label)
def test_the_solutions_page_includes_the_solution(exercise: Exercise) -> None:
    page = solutions_page(LESSONS / exercise.lesson)
    assert page.exists(), f"{relative(page)} is missing"
    for path in solution_files(exercise):
        assert f'--8<-- "{relative(path)}"' in page.read_text()
    assert f"{{ #{anchor(exercise)} }}" in page.read_text()
