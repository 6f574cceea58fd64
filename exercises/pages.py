"""Write the docs for a lesson's exercises: the page's "Exercises" section and a solutions page.

`python -m exercises pages 04` prints both, for a maintainer to paste once; they only include
files (the task, the hint, the solution), so they stay right when the exercises change. The
self-test checks that every page includes every exercise.
"""

from __future__ import annotations

from pathlib import Path

from .catalog import ROOT, Exercise, exercises_of, files_of

DOCS = ROOT / "docs"


def lesson_page(lesson: Path) -> Path | None:
    number = lesson.name.split("_")[1]
    return next(iter(sorted((DOCS / "lessons").glob(f"{number}-*.md"))), None)


def solutions_page(lesson: Path) -> Path:
    page = lesson_page(lesson)
    slug = page.stem if page else lesson.name.removeprefix("lesson_").replace("_", "-")
    return DOCS / "exercises" / f"{slug}.md"


def anchor(exercise: Exercise) -> str:
    return f"exercise-{exercise.lesson_number}-{exercise.number}"


def relative(path: Path) -> str:
    return path.relative_to(ROOT).as_posix()


def exercises_section(lesson: Path) -> str:
    """What goes under the lesson page's `## Exercises` heading."""
    exercises = exercises_of(lesson)
    number = lesson.name.split("_")[1]
    solutions = f"../exercises/{solutions_page(lesson).name}"
    parts = [
        f"Each exercise is a file in `{relative(lesson / 'exercises')}/` with a TODO: open it,",
        "solve it, then check your answers, which takes seconds:",
        "",
        "```console",
        f"$ nox -s check -- {number}",
        "```",
        "",
        "The checker prints, for each exercise, `passed` or the first thing still wrong.",
        f"`python3 -m exercises hint {number}.1` prints a hint in the terminal too.",
    ]
    for exercise in exercises:
        task = relative(exercise.starting_point)
        edit = f"`{task}`"
        if exercise.starting_point.is_dir():
            # A folder: the task is in its __init__.py, the work in the other files.
            task += "/__init__.py"
            others = [p for p in files_of(exercise.starting_point) if p.name != "__init__.py"]
            edit = " and ".join(f"`{relative(p)}`" for p in others)
        parts += [
            "",
            f"### {exercise.label} {exercise.title} {{ #{anchor(exercise)} }}",
            "",
            f'--8<-- "{task}:task"',
            "",
            f"Edit {edit}, then run `nox -s check -- {number}`.",
            "",
            '??? tip "Hint"',
            f'    --8<-- "{relative(exercise.check)}:hint"',
            "",
            f"[The solution]({solutions}#{anchor(exercise)}), once you have tried.",
        ]
    return "\n".join(parts) + "\n"


def solutions_markdown(lesson: Path) -> str:
    """The page that shows a lesson's reference solutions and their checks."""
    page = lesson_page(lesson)
    title = (
        page.read_text().splitlines()[0].removeprefix("# ").split(":")[0] if page else lesson.name
    )
    back = f"../lessons/{page.name}#exercises" if page else "../lessons/index.md"
    parts = [
        f"# Solutions: {title}",
        "",
        f"Try [the exercises]({back}) first: a solution read before trying teaches little.",
        "Each solution is one way to pass the check; the check, below it, is what decides.",
    ]
    for exercise in exercises_of(lesson):
        parts += ["", f"## {exercise.label} {exercise.title} {{ #{anchor(exercise)} }}"]
        for path in solution_files(exercise):
            parts += [
                "",
                f'```{language(path)} title="{relative(path)}"',
                f'--8<-- "{relative(path)}"',
                "```",
            ]
        parts += [
            "",
            f'??? example "The check: {relative(exercise.check)}"',
            "    ```python",
            f'    --8<-- "{relative(exercise.check)}"',
            "    ```",
        ]
    return "\n".join(parts) + "\n"


def solution_files(exercise: Exercise) -> list[Path]:
    """A module, or a folder's files, its `__init__.py` (what it explains) first."""
    if not exercise.solution.is_dir():
        return [exercise.solution]
    return sorted(files_of(exercise.solution), key=lambda path: path.name != "__init__.py")


def language(path: Path) -> str:
    if path.suffix == ".py":
        return "python"
    return "dockerfile" if path.name.endswith("Dockerfile") else "text"
