"""`python -m exercises check NN` checks your answers; `verify` proves the exercises honest.

python -m exercises list             every exercise, by lesson
python -m exercises check 04         check your answers to lesson 04's exercises
python -m exercises check 04 2       check exercise 04.2 only
python -m exercises hint 04.2        print the hint of exercise 04.2
python -m exercises verify           every starting point fails, every solution passes
"""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from . import pages
from .catalog import (
    ROOT,
    Exercise,
    all_exercises,
    exercises_of,
    find_lesson,
    lessons,
    write_fingerprints,
)
from .runner import Verdict, run_checks

WIDTH = 100


def say(text: str = "", indent: int = 0) -> None:
    prefix = " " * indent
    if not text:
        print()
        return
    print(textwrap.fill(text, WIDTH, initial_indent=prefix, subsequent_indent=prefix))


def relative(path: Path) -> str:
    return str(path.relative_to(ROOT))


# --- check ------------------------------------------------------------------------------------


def check(number: str, only: str | None) -> int:
    lesson = find_lesson(number)
    if lesson is None:
        say(f"There is no lesson {number}: lessons are {', '.join(lesson_numbers())}.")
        return 2
    exercises = [e for e in exercises_of(lesson) if only is None or e.number == only]
    if not exercises:
        say(f"Lesson {number.zfill(2)} has no exercise{' ' + only if only else 's'} yet.")
        return 2
    say(f"Checking {len(exercises)} exercise(s) in {relative(lesson / 'exercises')}/ ...")
    started = time.perf_counter()
    verdicts = run_checks(exercises)
    print()
    for exercise in exercises:
        verdict = verdicts[exercise]
        status = "passed " if verdict.passed else "not yet"
        say(f"{status}  {exercise.label}  {exercise.title}  ({exercise.starting_point.name})")
        if not verdict.passed:
            say(verdict.explanation, indent=13)
            say(f"Stuck? `python3 -m exercises hint {exercise.label}` gives a hint.", indent=13)
    passed = sum(v.passed for v in verdicts.values())
    print()
    say(f"{passed} of {len(exercises)} passed ({time.perf_counter() - started:.1f} s).")
    if passed == len(exercises):
        say("Well done. The reference solutions are on the lesson's solutions page.")
    return 0 if passed == len(exercises) else 1


# --- verify -----------------------------------------------------------------------------------


def verify(numbers: list[str]) -> int:
    selected = [find_lesson(n) for n in numbers] if numbers else lessons()
    if None in selected:
        say(f"Unknown lesson in {numbers}: lessons are {', '.join(lesson_numbers())}.")
        return 2
    say("Exercise honesty: each untouched starting point must FAIL its check,")
    say("and each reference solution must PASS it.")
    print()
    started = time.perf_counter()
    self_test_ok = self_test()
    exercises = [e for lesson in selected if lesson for e in exercises_of(lesson)]
    # The starting points and the solutions, each in one process, both at once.
    with ThreadPoolExecutor(max_workers=2) as pool:
        starts = pool.submit(run_checks, exercises, "")
        solutions = pool.submit(run_checks, exercises, "solutions")
        start_verdicts, solution_verdicts = starts.result(), solutions.result()
    dishonest = 0 if self_test_ok else 1
    total = 0
    for lesson in selected:
        assert lesson is not None
        exercises = exercises_of(lesson)
        if not exercises:
            say(f"lesson {lesson.name.split('_')[1]}  no exercises yet")
            continue
        for exercise in exercises:
            total += 1
            start = start_verdicts[exercise]
            solution = solution_verdicts[exercise]
            pristine = exercise.pristine
            problems = honesty_problems(exercise, start, solution, pristine=pristine)
            verdict = "honest" if not problems else "DISHONEST"
            say(f"{verdict:9}  {exercise.label}  {exercise.title}")
            if not pristine:
                say("starting point edited (your answer?): not checked; CI=true checks it", 13)
            elif start.tests and not start.passed:
                say(
                    f"start fails {start.failures} of {start.tests} checks: {start.explanation}", 13
                )
            for problem in problems:
                say(problem, indent=13)
            dishonest += bool(problems)
    print()
    elapsed = time.perf_counter() - started
    if dishonest:
        say(f"FAILED: {dishonest} problem(s) among {total} exercises ({elapsed:.1f} s).")
        return 1
    say(f"OK: all {total} exercises are honest ({elapsed:.1f} s).")
    return 0


def honesty_problems(
    exercise: Exercise, start: Verdict, solution: Verdict, *, pristine: bool
) -> list[str]:
    """Why this exercise is not honest; an edited starting point (a learner's answer) is skipped."""
    problems = exercise.problems(starting_point=pristine)
    if os.environ.get("CI") == "true" and (stale := exercise.unpublished()):
        problems.append(
            f"{', '.join(stale)} changed: record it with `python -m exercises fingerprint`"
        )
    if pristine and start.passed:
        problems.append("the untouched starting point PASSES its check: nothing to do")
    if not solution.passed:
        problems.append(f"the reference solution FAILS its check: {solution.explanation}")
    return problems


def self_test() -> bool:
    """The checker's own tests, so that a broken checker cannot call the exercises honest."""
    finished = subprocess.run(
        [sys.executable, "-m", "pytest", "exercises/tests", "-q", "-p", "no:cacheprovider"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    summary = finished.stdout.strip().splitlines()[-1:] or ["no output"]
    say(f"checker self-test: {summary[0]}")
    if finished.returncode != 0:
        print(finished.stdout[-3000:], finished.stderr[-2000:])
    return finished.returncode == 0


# --- list and hint ----------------------------------------------------------------------------


def list_all() -> int:
    for exercise in all_exercises():
        say(f"{exercise.label}  {exercise.title}  ({relative(exercise.starting_point)})")
    return 0


def hint(label: str) -> int:
    lesson, _, number = label.partition(".")
    for exercise in all_exercises():
        if exercise.label == f"{lesson.zfill(2)}.{number}":
            say(f"Hint for {exercise.label}, {exercise.title}:")
            print()
            for paragraph in exercise.hint.split("\n\n"):
                say(" ".join(paragraph.split()), indent=2)
                print()
            return 0
    say(f"No exercise {label!r}: `python3 -m exercises list` names them all.")
    return 2


def print_pages(number: str) -> int:
    lesson = find_lesson(number)
    if lesson is None:
        say(f"There is no lesson {number}.")
        return 2
    print(f"<!-- under '## Exercises' in the lesson's page -->\n{pages.exercises_section(lesson)}")
    print(f"<!-- {relative(pages.solutions_page(lesson))} -->\n{pages.solutions_markdown(lesson)}")
    return 0


def lesson_numbers() -> list[str]:
    return [lesson.name.split("_")[1] for lesson in lessons()]


def main(arguments: list[str]) -> int:
    match arguments:
        case ["check", number]:
            return check(number.split(".")[0], number.split(".")[1] if "." in number else None)
        case ["check", number, only]:
            return check(number, only)
        case ["verify", *numbers]:
            return verify(numbers)
        case ["hint", label]:
            return hint(label)
        case ["list"]:
            return list_all()
        case ["pages", number]:
            return print_pages(number)
        case ["fingerprint"]:
            say(f"wrote {relative(write_fingerprints())}")
            return 0
        case _:
            print(__doc__)
            return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
