"""The generated lesson diffs show each change once: a file the page prints whole is one line."""

from __future__ import annotations

from pathlib import Path

from docsgen import LESSONS
from docsgen.diffs import lesson_diff, whole_files_on_page


def write(package: Path, files: dict[str, str]) -> Path:
    for name, text in files.items():
        (package / name).parent.mkdir(parents=True, exist_ok=True)
        (package / name).write_text(text)
    return package


def test_a_new_file_the_page_prints_whole_is_one_line(tmp_path: Path) -> None:
    before = write(tmp_path / "lesson_01_a", {"app.py": "app = 1\n"})
    after = write(tmp_path / "lesson_02_b", {"app.py": "app = 2\n", "schemas.py": "x = 1\ny = 2\n"})

    diff = lesson_diff(before, after, shown_in_full=frozenset({"schemas.py"}))

    assert "+++ lesson_02_b/schemas.py\n@@ new: 2 lines, shown in full on this page @@\n" in diff
    assert "+x = 1" not in diff
    assert "+app = 2" in diff  # a changed file is still diffed line by line


def test_a_new_file_the_page_does_not_print_is_diffed_in_full(tmp_path: Path) -> None:
    before = write(tmp_path / "lesson_01_a", {"app.py": "app = 1\n"})
    after = write(tmp_path / "lesson_02_b", {"app.py": "app = 1\n", "schemas.py": "x = 1\n"})

    assert "+x = 1" in lesson_diff(before, after)


def test_lesson_02s_page_prints_its_schemas_whole() -> None:
    assert "schemas.py" in whole_files_on_page(LESSONS / "lesson_02_validation")


ROUTES = "".join(f"def route_{n}():\n    return {n}\n\n" for n in range(10))


def test_a_moved_file_is_diffed_against_where_it_came_from(tmp_path: Path) -> None:
    before = write(tmp_path / "lesson_01_a", {"app.py": ROUTES})
    after = write(tmp_path / "lesson_02_b", {"api/routes.py": ROUTES + "x = 1\n"})

    diff = lesson_diff(before, after)

    assert "--- lesson_01_a/app.py\n+++ lesson_02_b/api/routes.py\n" in diff
    assert "+x = 1" in diff
    assert "+def route_1" not in diff  # unchanged lines are not shown as added


def test_a_rewritten_file_whose_content_moved_is_diffed_where_it_went(tmp_path: Path) -> None:
    # Lesson 07's shape: the routes leave app.py for a router, app.py becomes two lines.
    before = write(tmp_path / "lesson_01_a", {"app.py": ROUTES})
    factory = "from .main import create_app\napp = create_app()\n"
    after = write(tmp_path / "lesson_02_b", {"app.py": factory, "api/routes.py": ROUTES})

    diff = lesson_diff(before, after)

    assert "--- lesson_01_a/app.py\n+++ lesson_02_b/api/routes.py\n" in diff
    assert "@@ moved, unchanged: 30 lines @@" in diff
    assert "--- /dev/null\n+++ lesson_02_b/app.py\n" in diff
    assert "+app = create_app()" in diff
    assert "-def route_1" not in diff  # the routes are not shown removed and added again


def test_a_file_that_keeps_most_of_its_lines_is_diffed_under_its_name(tmp_path: Path) -> None:
    before = write(tmp_path / "lesson_01_a", {"app.py": ROUTES})
    after = write(tmp_path / "lesson_02_b", {"app.py": ROUTES + "x = 1\n", "api/routes.py": ROUTES})

    diff = lesson_diff(before, after)

    assert "--- lesson_01_a/app.py\n+++ lesson_02_b/app.py\n" in diff
    assert "+x = 1" in diff
