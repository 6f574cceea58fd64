"""Find the exercises: every lesson's starting points, their checks, hints and solutions."""

from __future__ import annotations

import ast
import hashlib
import json
import os
import re
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
LESSONS = ROOT / "lessons"
CHECKS = ROOT / "exercises" / "checks"
SOLUTIONS = ROOT / "exercises" / "solutions"
FINGERPRINTS = ROOT / "exercises" / "starting_points.json"

# The same markers pymdownx.snippets reads, so the pages include the very same text.
SECTION = re.compile(
    r"--8<-- \[start:(?P<name>[a-z]+)\]\n(?P<text>.*?)\n[^\n]*?--8<-- \[end:(?P=name)\]", re.S
)


@dataclass(frozen=True)
class Exercise:
    lesson: str  # the lesson package's name, e.g. "lesson_01_routing"
    name: str  # e.g. "ex_1_ticket_count"

    @property
    def lesson_number(self) -> str:
        return self.lesson.split("_")[1]

    @property
    def number(self) -> str:
        return self.name.split("_")[1]

    @property
    def label(self) -> str:
        """How people name it: `01.2`."""
        return f"{self.lesson_number}.{self.number}"

    @property
    def starting_point(self) -> Path:
        return locate(LESSONS / self.lesson / "exercises", self.name)

    @property
    def solution(self) -> Path:
        return locate(SOLUTIONS / self.lesson, self.name)

    @property
    def check(self) -> Path:
        return CHECKS / self.lesson / f"check_{self.name}.py"

    @property
    def learner_module(self) -> str:
        return f"lessons.{self.lesson}.exercises.{self.name}"

    @property
    def solution_module(self) -> str:
        return f"exercises.solutions.{self.lesson}.{self.name}"

    @cached_property
    def task_docstring(self) -> str:
        return docstring_of(module_file(self.starting_point))

    @property
    def title(self) -> str:
        """The first line of the starting point's docstring."""
        return self.task_docstring.splitlines()[0].rstrip(".") if self.task_docstring else self.name

    @property
    def task(self) -> str:
        return section(self.task_docstring, "task")

    @property
    def hint(self) -> str:
        return section(docstring_of(self.check), "hint") if self.check.exists() else ""

    @property
    def fingerprint(self) -> dict[str, str]:
        """Each file of the starting point and the SHA-256 of its text (line endings aside)."""
        return {
            path.relative_to(ROOT).as_posix(): hashlib.sha256(
                path.read_bytes().replace(b"\r\n", b"\n")
            ).hexdigest()
            for path in files_of(self.starting_point)
        }

    @property
    def pristine(self) -> bool:
        """False when the starting point differs from the one published (a learner's answer).

        The published starting points are fingerprinted in `starting_points.json`; a starting
        point not in it yet (a new exercise) counts as pristine. On CI (`CI=true`) every
        starting point does: nobody solves exercises there.
        """
        if os.environ.get("CI") == "true":
            return True
        published = published_fingerprints()
        return all(
            published.get(path, digest) == digest for path, digest in self.fingerprint.items()
        )

    def unpublished(self) -> list[str]:
        """Files of the starting point whose fingerprint is missing or stale."""
        published = published_fingerprints()
        return [path for path, digest in self.fingerprint.items() if published.get(path) != digest]

    def problems(self, *, starting_point: bool = True) -> list[str]:
        """What is missing for this exercise to be complete, in words.

        `starting_point=False` leaves the starting point out: once a learner has solved it,
        its TODO is rightly gone.
        """
        found = []
        if not self.check.exists():
            found.append(f"no check at {self.check.relative_to(ROOT)}")
        elif not self.hint:
            found.append(f"no hint section in {self.check.relative_to(ROOT)}")
        if not self.solution.exists():
            found.append(f"no reference solution at {self.solution.relative_to(ROOT)}")
        if not starting_point:
            return found
        if not self.task:
            found.append(f"no task section in {self.starting_point.relative_to(ROOT)}")
        if not any("TODO" in path.read_text() for path in files_of(self.starting_point)):
            found.append(f"no TODO in {self.starting_point.relative_to(ROOT)}")
        return found


def locate(folder: Path, name: str) -> Path:
    """An exercise is a module `name.py` or a package `name/`."""
    package = folder / name
    return package if package.is_dir() else folder / f"{name}.py"


def module_file(path: Path) -> Path:
    return path / "__init__.py" if path.is_dir() else path


def files_of(path: Path) -> list[Path]:
    if path.is_dir():
        return sorted(p for p in path.rglob("*") if p.is_file() and "__pycache__" not in p.parts)
    return [path] if path.exists() else []


def docstring_of(path: Path) -> str:
    if not path.exists():
        return ""
    source = path.read_text()
    try:
        return ast.get_docstring(ast.parse(source)) or ""
    except SyntaxError:  # a learner's file, mid-edit: its docstring is most likely intact
        found = re.match(r'\s*"""(.*?)"""', source, re.S)
        return found.group(1).strip() if found else ""


def section(text: str, name: str) -> str:
    for match in SECTION.finditer(text):
        if match.group("name") == name:
            return match.group("text").strip()
    return ""


def lessons() -> list[Path]:
    return sorted(p for p in LESSONS.glob("lesson_[0-9][0-9]_*") if p.is_dir())


def find_lesson(number: str) -> Path | None:
    for lesson in lessons():
        if lesson.name.split("_")[1] == number.zfill(2):
            return lesson
    return None


def exercises_of(lesson: Path) -> list[Exercise]:
    folder = lesson / "exercises"
    if not folder.is_dir():
        return []
    names = {
        path.stem if path.is_file() else path.name
        for path in folder.glob("ex_*")
        if (path.suffix == ".py" and path.is_file()) or (path / "__init__.py").exists()
    }
    return [Exercise(lesson.name, name) for name in sorted(names, key=sort_key)]


def sort_key(name: str) -> tuple[int, str]:
    number = name.split("_")[1]
    return (int(number) if number.isdigit() else 0, name)


def all_exercises() -> list[Exercise]:
    return [exercise for lesson in lessons() for exercise in exercises_of(lesson)]


def published_fingerprints() -> dict[str, str]:
    if not FINGERPRINTS.exists():
        return {}
    published: dict[str, str] = json.loads(FINGERPRINTS.read_text())
    return published


def write_fingerprints() -> Path:
    """Record every starting point as published: `python -m exercises fingerprint`."""
    fingerprints = {
        path: digest
        for exercise in all_exercises()
        for path, digest in exercise.fingerprint.items()
    }
    FINGERPRINTS.write_text(json.dumps(fingerprints, indent=1, sort_keys=True) + "\n")
    return FINGERPRINTS
