"""Tables for the pages, from the figures a real run committed as JSON.

Lesson 11's container tests write what they measured (`docs/assets/lesson-11/*.json`): the
page shows those numbers through these tables, so prose and measurement cannot disagree. The
connection arithmetic is the test's own, over the committed compose.yaml.
"""

import json
from pathlib import Path
from typing import Any

from . import ROOT

LESSON_11 = ROOT / "docs" / "assets" / "lesson-11"


def table(header: tuple[str, ...], rows: list[tuple[Any, ...]]) -> str:
    lines = ["| " + " | ".join(header) + " |", "| --- |" + " ---: |" * (len(header) - 1)]
    lines += ["| " + " | ".join(str(cell) for cell in row) + " |" for row in rows]
    return "\n".join(lines) + "\n"


def replica_loss(figures: dict[str, Any]) -> str:
    """Requests by kind, who answered them, and what the database holds afterwards."""
    creates, reads, by = figures["creates"], figures["reads"], figures["answered_by"]
    killed = (
        f"{figures['replicas']} replicas, {figures['clients']} clients for {figures['run_s']:g} s"
    )
    counts = table(
        (f"through the proxy ({killed})", "sent", "answered", "failed", "retried"),
        [
            (
                "creates",
                creates["sent"],
                creates["answered"],
                creates["failed"],
                creates["retried"],
            ),
            ("reads", reads["sent"], reads["answered"], reads["failed"], reads["retried"]),
        ],
    )
    replicas = table(
        ("answered by (nginx's log)", f"before the kill at {figures['killed_at_s']:g} s", "after"),
        [
            (name, by["before_kill"][name], by["after_kill"][name])
            for name in ("killed replica", "surviving replica")
        ],
    )
    outcome = table(
        ("afterwards", "count"),
        [
            (
                "reads in flight at the kill, answered by the other replica",
                reads["in_flight_at_kill"],
            ),
            ("creates acknowledged (201) to a client", creates["acknowledged"]),
            ("of those, in PostgreSQL exactly once, under that id", creates["found"]),
            ("tickets stored twice", creates["duplicated"]),
            ("retries answered with the first attempt's ticket", creates["replayed"]),
        ],
    )
    return "\n".join((counts, replicas, outcome))


def shutdown(figures: dict[str, Any]) -> str:
    """How long `stop` took, and what the clients saw."""
    load, slow, idle = figures["under_load"], figures["slow_client"], figures["idle"]
    requests = load["requests"]
    return table(
        ("SIGTERM to a replica", "exit code", "stopped after"),
        [
            ("idle", idle["exit_code"], f"{idle['stop_s']} s"),
            (
                f"under load: {requests['sent']} requests through nginx, {requests['failed']} "
                f"failed, {load['refused_by_the_stopping_replica']} passed to the other replica",
                load["exit_code"],
                f"{load['stop_s']} s",
            ),
            (
                "with a client trickling its request (uvicorn's grace: "
                f"{slow['uvicorn_timeout_graceful_shutdown_s']:g} s, compose's: "
                f"{slow['stop_grace_period_s']:g} s)",
                slow["exit_code"],
                f"{slow['stop_s']} s",
            ),
        ],
    )


def compose_connections() -> str:
    """compose.yaml's PostgreSQL connections, added up as tests/deploy/test_connections.py does."""
    from tests.deploy.connections import compose_budget  # the test's own arithmetic

    return f"{compose_budget()}\n"


def write_all(output: Path) -> list[Path]:
    output.mkdir(parents=True, exist_ok=True)
    connections = output / "lesson-11-connections.txt"
    connections.write_text(compose_connections())
    written = [connections]
    for name, render in (("replica-loss", replica_loss), ("shutdown", shutdown)):
        figures = json.loads((LESSON_11 / f"{name}.json").read_text())
        # .txt: a table to include, not a page of its own (mkdocs and the command reader skip it)
        target = output / f"lesson-11-{name}.table.txt"
        target.write_text(render(figures))
        written.append(target)
    return written
