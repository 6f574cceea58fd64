"""The final app is lesson 11 plus what production adds, and no more than a lesson step."""

from docsgen.diffs import (
    LAST_CODE_LESSON,
    changed_lines,
    final_app_diff,
    lesson_packages,
    lesson_steps,
)

# The size of a lesson step in this course: what the final app may add to the last lesson.
MAX_CHANGED_LINES = 400


def test_the_final_app_grows_from_the_last_lesson_with_code() -> None:
    with_code = [package.name for package in lesson_packages() if (package / "main.py").exists()]
    assert with_code[-1] == LAST_CODE_LESSON


def test_the_final_app_adds_no_more_than_a_lesson_step() -> None:
    changed = changed_lines(final_app_diff())
    assert 0 < changed <= MAX_CHANGED_LINES, (
        f"final_app/ differs from lessons/{LAST_CODE_LESSON}/ by {changed} lines; a lesson step"
        f" is at most {MAX_CHANGED_LINES}: move what is not production-only into the lesson"
    )


def test_the_diff_leaves_out_only_migrations_and_vendored_files() -> None:
    files = {
        line.split(maxsplit=1)[1]
        for line in final_app_diff().splitlines()
        if line.startswith(("+++ ", "--- "))
    }
    assert "final_app/errors.py" in files  # production code is shown
    assert not [name for name in files if "/static/" in name or "/migrations/" in name]


def test_lesson_11_grows_from_lesson_09_past_the_lesson_that_packages_the_final_app() -> None:
    steps = {current.name: previous.name for previous, current in lesson_steps(lesson_packages())}
    assert steps["lesson_10_containers"] == "lesson_09_request_path"
    assert steps["lesson_11_scale"] == "lesson_09_request_path"
    assert steps["lesson_09_request_path"] == "lesson_08_security"
