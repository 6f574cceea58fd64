"""The waterfall on lesson 09's page is the one its saved figures give, and it hides nothing.

The page includes docs/benchmarks/request_path.table.txt, which `benchmarks/request_path.py`
writes from request_path.json (and `--replot` rewrites from that file alone). These tests hold
the committed table to the committed figures, so that neither changes without the other, and
check that every step was measured on both databases, each run at the top level either clean
or shown for what it was. They read files only: no server, no load, well under a second.
"""

import json
import re
from typing import Any

import pytest

from benchmarks import request_path
from benchmarks.request_path import CREATE, OPERATIONS, READ, STEPS, figure, variant

FIGURES = request_path.OUTPUT / f"{request_path.NAME}.json"
TABLE = request_path.OUTPUT / f"{request_path.NAME}.table.txt"
DATABASES = (request_path.SQLITE, request_path.POSTGRESQL)


@pytest.fixture(scope="module")
def results() -> dict[str, Any]:
    saved: dict[str, Any] = json.loads(FIGURES.read_text())
    return saved


@pytest.fixture(scope="module")
def table() -> str:
    return TABLE.read_text()


def top(results: dict[str, Any]) -> int:
    levels: list[int] = results["settings"]["levels"]
    return max(levels)


def test_the_committed_table_is_what_replot_writes_from_the_committed_figures(
    results: dict[str, Any], table: str
) -> None:
    assert table == request_path.table_text(results)


def test_the_saved_ratios_are_the_saved_runs_divided_by_bare_fastapi(
    results: dict[str, Any],
) -> None:
    assert results["ratios"] == request_path.ratios(results["runs"])


@pytest.mark.parametrize("database", DATABASES)
def test_every_step_was_measured_on_both_databases_at_every_level(
    results: dict[str, Any], database: str
) -> None:
    assert database in results["settings"]["databases"]
    names = [variant(STEPS[0])] + [
        variant(step, operation, database) for step in STEPS[1:] for operation in OPERATIONS
    ]
    for name in names:
        levels = [run["concurrency"] for run in results["runs"][name]]
        assert levels == results["settings"]["levels"], name


def row(table: str, database: str, step_number: int) -> list[str]:
    """The cells of a step's row in `database`'s waterfall table."""
    section = table.split(f"**{database}**", 1)[1]
    line = next(line for line in section.splitlines() if line.startswith(f"| {step_number}. "))
    return [cell.strip() for cell in line.strip("|").split("|")]


@pytest.mark.parametrize("database", DATABASES)
@pytest.mark.parametrize("step", STEPS[1:], ids=lambda step: f"step-{step.number}")
@pytest.mark.parametrize("operation", [READ, CREATE])
def test_at_the_top_level_each_run_is_clean_or_the_table_says_what_went_wrong(
    results: dict[str, Any], table: str, database: str, step: Any, operation: str
) -> None:
    level = top(results)
    result = figure(results, variant(step, operation, database), level)
    assert result is not None
    cells = row(table, database, step.number)
    # Columns: the step, GET at each level, CPU per GET, POST at the top level, CPU per POST.
    cell = cells[len(results["settings"]["levels"])] if operation == READ else cells[-2]
    if request_path.clean(result):
        assert result["errors"] == result["timeouts"] == 0
        assert cell == f"{result['ratio']:.3f}x"
    else:
        assert re.search(r"errors|timeouts|nothing answered|stuck", cell), cell
        title = request_path.step_title(step, results)
        said = f"- step {step.number}, {title}, {operation} at {level} connections: "
        assert said in table.split(f"**{database}**", 1)[1]


def test_the_table_says_where_and_how_busy_the_machine_was(
    results: dict[str, Any], table: str
) -> None:
    machine = results["machine"]
    for fact in ("cpu_model", "cpu_count", "python", "load_generator", "date"):
        assert str(machine[fact]) in table, fact
    assert f"load average before the run: {machine['load_average_1min']}" in table
