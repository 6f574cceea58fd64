"""The workers-vs-replicas figures on lesson 11's page are the ones their saved JSON gives.

The page includes docs/benchmarks/scale.table.txt, which `benchmarks/scale.py` writes from
scale.json (and `--replot` rewrites from that file alone). These tests hold the committed
table to the committed figures, so that neither changes without the other, and check that the
figures are complete: every setup measured for the read and the create at every level, every
run answered without a single error or timeout, the machine and its load said. They read files
only: no container, no load, well under a second.
"""

import json
from typing import Any

import pytest

from benchmarks import scale
from benchmarks.scale import BASELINE, OPERATIONS, SETUPS, variant

FIGURES = scale.OUTPUT / f"{scale.NAME}.json"
TABLE = scale.OUTPUT / f"{scale.NAME}.table.txt"
PLOT = scale.OUTPUT / f"{scale.NAME}.png"
# Saved beside each run, one value per level (see benchmarks/scale.py's run()).
PER_RUN = (
    "stack_cpu_us_per_request",
    "stack_cpus",
    "load_generator_cpus",
    "other_processes_cpus",
    "other_processes_cpus_before",
    "settle_s",
)
NAMES = [variant(setup, operation) for setup in SETUPS for operation in OPERATIONS]


@pytest.fixture(scope="module")
def results() -> dict[str, Any]:
    saved: dict[str, Any] = json.loads(FIGURES.read_text())
    return saved


def test_the_committed_table_is_what_replot_writes_from_the_committed_figures(
    results: dict[str, Any],
) -> None:
    assert TABLE.read_text() == scale.table_text(results)


def test_the_plot_is_committed_beside_them() -> None:
    assert PLOT.read_bytes().startswith(b"\x89PNG\r\n\x1a\n")


def test_the_saved_ratios_are_the_saved_runs_divided_by_the_baseline(
    results: dict[str, Any],
) -> None:
    assert results["settings"]["baseline"] == BASELINE.name
    assert results["ratios"] == scale.ratios(results["runs"])
    for operation in OPERATIONS:
        assert set(results["ratios"][variant(BASELINE, operation)].values()) == {1.0}


def test_every_setup_was_measured_for_both_operations_at_every_level(
    results: dict[str, Any],
) -> None:
    levels = results["settings"]["levels"]
    assert len(levels) >= 3
    assert [setup["name"] for setup in results["settings"]["setups"]] == [
        setup.name for setup in SETUPS
    ]
    assert set(results["runs"]) == set(NAMES)
    for name in NAMES:
        assert [run["concurrency"] for run in results["runs"][name]] == levels, name
        for key in PER_RUN:
            assert len(results[key][name]) == len(levels), (key, name)


@pytest.mark.parametrize("name", NAMES)
def test_every_run_answered_with_no_errors_and_no_timeouts(
    results: dict[str, Any], name: str
) -> None:
    # Every try counts, not only the median kept for the table.
    for point in results["repeats"][name]:
        assert len(point) == results["settings"]["repeat"], name
        for run in point:
            level = run["concurrency"]
            assert run["tool"] == "wrk", (name, level)
            assert run["requests"] > 0, (name, level)
            assert run["errors"] == 0, (name, level)
            assert run["timeouts"] == 0, (name, level)


@pytest.mark.parametrize("name", NAMES)
def test_each_point_is_the_median_of_its_runs(results: dict[str, Any], name: str) -> None:
    for kept, point in zip(results["runs"][name], results["repeats"][name], strict=True):
        assert kept in point
        ranked = sorted(run["requests_per_second"] for run in point)
        assert kept["requests_per_second"] == ranked[(len(ranked) - 1) // 2]


def test_every_run_says_where_the_cpus_went(results: dict[str, Any]) -> None:
    for name in NAMES:
        for key in ("stack_cpu_us_per_request", "stack_cpus", "load_generator_cpus"):
            assert all(value is not None and value > 0 for value in results[key][name]), key


def test_the_table_says_what_two_cores_cannot_show(results: dict[str, Any]) -> None:
    table, settings = TABLE.read_text(), results["settings"]
    runs = len(NAMES) * len(settings["levels"]) * settings["repeat"]
    assert f"All {runs} runs (" in table
    assert "answered every request: 0 errors, 0 timeouts." in table
    assert "What this machine cannot show is scaling past its cores." in table
    assert "a third worker or replica would add nothing" in table


def test_the_table_says_where_and_how_busy_the_machine_was(results: dict[str, Any]) -> None:
    machine, table = results["machine"], TABLE.read_text()
    for fact in ("cpu_model", "cpu_count", "load_generator", "date"):
        assert str(machine[fact]) in table, fact
    assert f"load average before the run: {machine['load_average_1min']}" in table
    assert f"the image's Python {results['settings']['image']['python']}" in table
    assert "The rest of the machine" in table


def test_the_table_says_whether_the_images_workers_wait_for_delayed_acks(
    results: dict[str, Any],
) -> None:
    image, table = results["settings"]["image"], TABLE.read_text()
    said = "asyncio never turns TCP_NODELAY on"
    if image["workers_tcp_nodelay"]:
        assert said not in table
    else:
        assert f"The image's uvicorn {image['uvicorn']} binds the socket of --workers" in table
        assert said in table
