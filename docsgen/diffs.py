"""What changed since the previous lesson, generated from the two lesson packages.

Snippet markers (`# --8<-- [start:name]`) are stripped first: they exist for the docs, and a
diff full of them would hide the change the lesson is about. A file that a lesson moves is
diffed against where it came from, as `git diff -B -M` does (renames, and content that left a
name now reused), so the diff shows what changed in it instead of all of it removed and added
again.

A lesson that only re-exports the final app (lesson 10 packages it in a container) has no
code of its own to grow from: the lesson after it is diffed against the lesson before it.

The last diff goes from the last code lesson to `final_app/`: what production adds. Its
migrations and its vendored static files (Swagger UI, ReDoc, their licences) are left out:
they are data, not an idea to read.
"""

import difflib
import re
from pathlib import Path

from . import LESSONS, ROOT

SNIPPET_MARKER = re.compile(r"^\s*# --8<-- \[(start|end):[\w-]+\]\s*$")
FINAL_APP = ROOT / "final_app"
# The lesson that final_app grows from, and what its diff leaves out.
LAST_CODE_LESSON = "lesson_11_scale"
NOT_IN_FINAL_APP_DIFF = {"migrations", "static"}
SOURCE_SUFFIXES = {".py", ".ini", ".mako", ".toml", ".cfg", ".txt", ".Dockerfile", ".yaml", ".yml"}


def lesson_packages() -> list[Path]:
    return sorted(p for p in LESSONS.glob("lesson_[0-9][0-9]_*") if p.is_dir())


def re_exports_the_final_app(package: Path) -> bool:
    app = package / "app.py"
    return app.exists() and "from final_app" in app.read_text()


def lesson_steps(packages: list[Path]) -> list[tuple[Path, Path]]:
    """Each lesson after the first, with the lesson its diff starts from."""
    steps = []
    for index, current in enumerate(packages[1:], start=1):
        earlier = [p for p in packages[:index] if not re_exports_the_final_app(p)]
        steps.append((earlier[-1], current))
    return steps


def source_files(package: Path, leave_out: frozenset[str] = frozenset()) -> dict[str, list[str]]:
    """Every source file of a lesson, by its path inside the package, without snippet markers."""
    files: dict[str, list[str]] = {}
    for path in sorted(package.rglob("*")):
        # Exercises belong to the learner, not to the lesson's story: keep them out of the diff.
        skipped = ({"__pycache__", "exercises"} | leave_out) & set(path.relative_to(package).parts)
        if skipped or not path.is_file():
            continue
        if path.suffix not in SOURCE_SUFFIXES and path.name != "Dockerfile":
            continue
        lines = path.read_text().splitlines(keepends=True)
        files[path.relative_to(package).as_posix()] = [
            line for line in lines if not SNIPPET_MARKER.match(line)
        ]
    return files


# As git: a file that lost its old name and keeps half its lines or more was moved.
MOVE_SIMILARITY = 0.5


def similarity(old: list[str], new: list[str]) -> float:
    return difflib.SequenceMatcher(None, old, new).ratio()


def moved_files(before: dict[str, list[str]], after: dict[str, list[str]]) -> dict[str, str]:
    """Each moved file's new name and the old name it came from, the most similar pairs first.

    As `git diff -B -M`, a file rewritten until it keeps less than half its lines may have
    moved too, its name reused: lesson 07's routes leave `app.py` for `api/tickets.py`, and
    `app.py` holds only the app the factory makes.
    """
    gone = [name for name in before if name not in after]
    rewritten = [
        name
        for name in before
        if name in after and similarity(before[name], after[name]) < MOVE_SIMILARITY
    ]
    added = [name for name in after if name not in before]
    candidates = []
    for old_name in gone + rewritten:
        for new_name in added:
            matcher = difflib.SequenceMatcher(None, before[old_name], after[new_name])
            if matcher.real_quick_ratio() >= MOVE_SIMILARITY and matcher.ratio() >= MOVE_SIMILARITY:
                candidates.append((matcher.ratio(), old_name, new_name))
    moves: dict[str, str] = {}
    for _, old_name, new_name in sorted(candidates, reverse=True):
        if new_name not in moves and old_name not in moves.values():
            moves[new_name] = old_name
    return moves


def lesson_diff(
    previous: Path,
    current: Path,
    leave_out: frozenset[str] = frozenset(),
    shown_in_full: frozenset[str] = frozenset(),
) -> str:
    """A unified diff, file by file, from one lesson package to the next.

    A new file named in `shown_in_full` (the page includes all of it) is one line here, as a
    removed file is: the reader has just read it.
    """
    before, after = source_files(previous, leave_out), source_files(current, leave_out)
    moves = moved_files(before, after)
    chunks: list[str] = []
    for name in sorted(before.keys() | after.keys()):
        if name in moves.values() and name not in after:
            continue  # shown under its new name
        if name in moves:
            old_name, new = moves[name], after[name]
            old = before[old_name]
            fromfile, tofile = f"{previous.name}/{old_name}", f"{current.name}/{name}"
            if old == new:
                chunks += [f"--- {fromfile}\n", f"+++ {tofile}\n"]
                chunks.append(f"@@ moved, unchanged: {len(new)} lines @@\n")
            else:
                chunks.extend(difflib.unified_diff(old, new, fromfile=fromfile, tofile=tofile))
            continue
        # A name whose content moved elsewhere holds something new: shown as a new file.
        old = [] if name in moves.values() else before.get(name, [])
        new = after.get(name, [])
        if old == new:
            continue
        if name not in after:
            # A file the lesson drops is one line, not a wall of red: its content is on the
            # previous lesson's page.
            chunks += [f"--- {previous.name}/{name}\n", "+++ /dev/null\n"]
            chunks.append(f"@@ removed: {len(old)} lines, shown in {previous.name} @@\n")
            continue
        if not old and name in shown_in_full:
            chunks += ["--- /dev/null\n", f"+++ {current.name}/{name}\n"]
            chunks.append(f"@@ new: {len(new)} lines, shown in full on this page @@\n")
            continue
        chunks.extend(
            difflib.unified_diff(
                old,
                new,
                fromfile=f"{previous.name}/{name}" if old else "/dev/null",
                tofile=f"{current.name}/{name}" if name in after else "/dev/null",
            )
        )
    text = "".join(line if line.endswith("\n") else line + "\n" for line in chunks)
    return text or "# No source file changed.\n"


def write_all(output: Path) -> list[Path]:
    output.mkdir(parents=True, exist_ok=True)
    packages = lesson_packages()
    written = []
    for previous, current in lesson_steps(packages):
        target = output / f"{current.name}.diff"
        target.write_text(
            lesson_diff(previous, current, shown_in_full=whole_files_on_page(current))
        )
        written.append(target)
    target = output / "final_app.diff"
    target.write_text(final_app_diff())
    written.append(target)
    return written


def whole_files_on_page(lesson: Path) -> frozenset[str]:
    """The lesson's files its page includes whole (`--8<-- "lessons/<lesson>/<file>"`)."""
    number = lesson.name.split("_")[1]
    pages = list((ROOT / "docs" / "lessons").glob(f"{number}-*.md"))
    if not pages:
        return frozenset()
    include = re.compile(rf'--8<-- "lessons/{lesson.name}/([^":]+)"')
    return frozenset(include.findall(pages[0].read_text()))


def final_app_diff() -> str:
    """From the last code lesson to the final app: only what production adds."""
    lesson = LESSONS / LAST_CODE_LESSON
    return lesson_diff(lesson, FINAL_APP, frozenset(NOT_IN_FINAL_APP_DIFF))


def changed_lines(diff: str) -> int:
    """Lines a diff adds or removes, its file headers left out."""
    return sum(
        1
        for line in diff.splitlines()
        if line.startswith(("+", "-")) and not line.startswith(("+++ ", "--- "))
    )
