"""What changed since the previous lesson, generated from the two lesson packages.

Snippet markers (`# --8<-- [start:name]`) are stripped first: they exist for the docs, and a
diff full of them would hide the change the lesson is about.
"""

import difflib
import re
from itertools import pairwise
from pathlib import Path

from . import LESSONS

SNIPPET_MARKER = re.compile(r"^\s*# --8<-- \[(start|end):[\w-]+\]\s*$")
SOURCE_SUFFIXES = {".py", ".ini", ".mako", ".toml", ".cfg", ".txt", ".Dockerfile", ".yaml", ".yml"}


def lesson_packages() -> list[Path]:
    return sorted(p for p in LESSONS.glob("lesson_[0-9][0-9]_*") if p.is_dir())


def source_files(package: Path) -> dict[str, list[str]]:
    """Every source file of a lesson, by its path inside the package, without snippet markers."""
    files: dict[str, list[str]] = {}
    for path in sorted(package.rglob("*")):
        # Exercises belong to the learner, not to the lesson's story: keep them out of the diff.
        skipped = {"__pycache__", "exercises"} & set(path.relative_to(package).parts)
        if skipped or not path.is_file():
            continue
        if path.suffix not in SOURCE_SUFFIXES and path.name != "Dockerfile":
            continue
        lines = path.read_text().splitlines(keepends=True)
        files[path.relative_to(package).as_posix()] = [
            line for line in lines if not SNIPPET_MARKER.match(line)
        ]
    return files


def lesson_diff(previous: Path, current: Path) -> str:
    """A unified diff, file by file, from one lesson package to the next."""
    before, after = source_files(previous), source_files(current)
    chunks: list[str] = []
    for name in sorted(before.keys() | after.keys()):
        old, new = before.get(name, []), after.get(name, [])
        if old == new:
            continue
        if name not in after:
            # A file the lesson drops is one line, not a wall of red: its content is on the
            # previous lesson's page.
            chunks += [f"--- {previous.name}/{name}\n", "+++ /dev/null\n"]
            chunks.append(f"@@ removed: {len(old)} lines, shown in {previous.name} @@\n")
            continue
        chunks.extend(
            difflib.unified_diff(
                old,
                new,
                fromfile=f"{previous.name}/{name}" if name in before else "/dev/null",
                tofile=f"{current.name}/{name}" if name in after else "/dev/null",
            )
        )
    text = "".join(line if line.endswith("\n") else line + "\n" for line in chunks)
    return text or "# No source file changed.\n"


def write_all(output: Path) -> list[Path]:
    output.mkdir(parents=True, exist_ok=True)
    packages = lesson_packages()
    written = []
    for previous, current in pairwise(packages):
        target = output / f"{current.name}.diff"
        target.write_text(lesson_diff(previous, current))
        written.append(target)
    return written
