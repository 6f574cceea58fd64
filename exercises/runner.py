"""Run one lesson's checks in a fresh Python process and collect one verdict per exercise.

A fresh process per run means the learner's modules are imported anew, and that a check which
hangs or crashes cannot take the checker down with it.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

from .catalog import ROOT, Exercise
from .loading import SOURCE_VARIABLE

TIMEOUT_SECONDS = 300


@dataclass(frozen=True)
class Verdict:
    passed: bool
    explanation: str = ""  # the first thing still wrong, when not passed
    tests: int = 0
    failures: int = 0


def run_checks(exercises: list[Exercise], source: str = "") -> dict[Exercise, Verdict]:
    """Run the checks of `exercises` against `source` (see loading.py), in one process."""
    checks = [str(e.check) for e in exercises if e.check.exists()]
    verdicts = {e: Verdict(False, "it has no check yet") for e in exercises}
    if not checks:
        return verdicts
    with tempfile.TemporaryDirectory(prefix="exercise-results-") as folder:
        results_file = Path(folder) / "results.json"
        command = [
            sys.executable, "-m", "pytest", *checks,
            "-p", "exercises.plugin", f"--exercise-results={results_file}",
            "-p", "no:cacheprovider", "-q", "--no-header", "-o", "addopts=",
            # The plugin words each failure from the exception itself. Python's own traceback
            # costs nothing; pytest's reads and parses the source of every frame, FastAPI's too.
            "--tb=native",
        ]  # fmt: skip
        # Only our plugin: the test group's other plugins (schemathesis...) slow start-up down.
        environment = {**os.environ, SOURCE_VARIABLE: source, "PYTEST_DISABLE_PLUGIN_AUTOLOAD": "1"}
        try:
            finished = subprocess.run(  # noqa: S603 (our own interpreter, our own arguments)
                command,
                cwd=ROOT,
                env=environment,
                capture_output=True,
                text=True,
                timeout=TIMEOUT_SECONDS,
                check=False,
            )
        except subprocess.TimeoutExpired:
            hang = f"the checks took over {TIMEOUT_SECONDS} s: does something hang?"
            return {e: Verdict(False, hang) for e in exercises}
        if not results_file.exists():
            tail = (finished.stdout + finished.stderr).strip().splitlines()[-5:]
            return {
                e: Verdict(False, "the checks did not run: " + " / ".join(tail)) for e in exercises
            }
        records = json.loads(results_file.read_text())
    for exercise in exercises:
        mine = [r for r in records if (ROOT / r["check"]).resolve() == exercise.check.resolve()]
        failed = [r for r in mine if r["outcome"] != "passed"]
        if not mine:
            continue
        explanation = ""
        if failed:
            first = failed[0]
            explanation = first["explanation"] or f"{first['test']} {first['outcome']}"
        verdicts[exercise] = Verdict(not failed, explanation, len(mine), len(failed))
    return verdicts
