"""Load the exercise a check is about: the learner's file, or the reference solution instead.

The environment variable EXERCISE_SOURCE picks which: unset means the learner's starting point
in the lesson, `solutions` means the reference solution, and a folder means a copy laid out like
`<folder>/lesson_NN_topic/ex_K_name.py` (the checker's own tests use it). The
learner's files are only ever read.
"""

from __future__ import annotations

import importlib.util
import os
import sys
from pathlib import Path
from types import ModuleType

from .catalog import LESSONS, SOLUTIONS, Exercise, locate, module_file

SOURCE_VARIABLE = "EXERCISE_SOURCE"


class ExerciseLoadError(Exception):
    """The exercise's file could not be imported; the message says why, for a learner."""


def exercise_for_check(check_file: Path) -> Exercise:
    """`checks/lesson_01_routing/check_ex_1_count.py` checks `ex_1_count` of lesson 01."""
    return Exercise(check_file.parent.name, check_file.stem.removeprefix("check_"))


def source_path(exercise: Exercise) -> tuple[str, Path]:
    """The module name and the path of the exercise's code under test."""
    source = os.environ.get(SOURCE_VARIABLE, "")
    if source == "solutions":
        return exercise.solution_module, locate(SOLUTIONS / exercise.lesson, exercise.name)
    folder = Path(source) / exercise.lesson if source else LESSONS / exercise.lesson / "exercises"
    return exercise.learner_module, locate(folder, exercise.name)


def load(exercise: Exercise) -> ModuleType:
    """Import the exercise afresh, so that no state survives from one check to the next."""
    name, path = source_path(exercise)
    file = module_file(path)
    if not file.exists():
        raise ExerciseLoadError(f"{file} does not exist: was it moved or renamed?")
    search = [str(path)] if path.is_dir() else None
    spec = importlib.util.spec_from_file_location(name, file, submodule_search_locations=search)
    if spec is None or spec.loader is None:
        raise ExerciseLoadError(f"{file} cannot be imported as a Python module")
    module = importlib.util.module_from_spec(spec)
    for loaded in [n for n in sys.modules if n == name or n.startswith(f"{name}.")]:
        del sys.modules[loaded]
    sys.modules[name] = module  # pydantic and dataclasses look their module up while it runs
    try:
        spec.loader.exec_module(module)
    except SyntaxError as error:
        del sys.modules[name]
        raise ExerciseLoadError(
            f"{file.name} has a syntax error on line {error.lineno}: {error.msg}"
        ) from error
    except Exception as error:
        del sys.modules[name]
        raise ExerciseLoadError(
            f"{file.name} fails while it is imported: {type(error).__name__}: {error}"
        ) from error
    return module


def exercise_path(exercise: Exercise) -> Path:
    """The exercise's file or folder, for checks that read text (a Dockerfile, a migration)."""
    return source_path(exercise)[1]
