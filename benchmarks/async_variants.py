"""Lesson 06's benchmark: the post's `async def` + sync `Session` against the two fixes, under load.

Each variant of `lessons/lesson_06_async` is started with uvicorn (one worker, a fresh process
for every run, so a deadlocked run cannot spoil the next), and `GET /tickets?limit=10` is
driven at each concurrency level for a fixed time; each point is the median of `--repeat`
runs. SQLite answers in microseconds, so every SELECT is made to take `--query-ms` longer
inside the driver (`slow_query.py`), the way a query to a busy database server keeps the
calling thread waiting.

The variants, all on the same seeded database file:

- the post's pattern, `async def` + `Session`, with SQLAlchemy's default pool (5 + 10 overflow);
- the same with a pool of 100, so that what is left is the cost of blocking the event loop;
- `def` + `Session` (FastAPI's threadpool), pool of 100;
- `async def` + `AsyncSession` (aiosqlite), pool of 100;
- `def` + `Session` with no added delay: what the CPU allows this endpoint on this machine,
  the ceiling the others meet.

Results go to docs/benchmarks/async_variants.{json,png,table.txt}; lesson 06's page includes them.

    python -m benchmarks.async_variants                  # or: nox -s bench-async
    python -m benchmarks.async_variants --duration 3 --concurrency 1 10
    python -m benchmarks.async_variants --replot         # redraw from the saved JSON
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import tempfile
from decimal import Decimal
from pathlib import Path
from typing import Any

from sqlalchemy import create_engine
from sqlalchemy.orm import Session

from benchmarks import harness
from lessons.lesson_06_async.dependencies import API_KEYS
from lessons.lesson_06_async.models import Base, Ticket

OUTPUT = harness.ROOT / "docs" / "benchmarks"
NAME = "async_variants"
LARGE_POOL = {"DB_POOL_SIZE": "100", "DB_MAX_OVERFLOW": "0"}
DEFAULT_POOL = {"DB_POOL_SIZE": "5", "DB_MAX_OVERFLOW": "10"}
API_KEY = next(iter(API_KEYS))  # listing tickets takes an API key since lesson 04


@dataclasses.dataclass(frozen=True)
class Variant:
    name: str
    module: str  # in lessons/lesson_06_async
    pool: dict[str, str]
    query_ms: float | None = None  # None: the run's --query-ms


# No added delay: what one worker can serve of this endpoint at all, the others' ceiling.
CEILING = Variant("def + Session, no added delay (the CPU's ceiling)", "app", LARGE_POOL, 0)
VARIANTS = [
    Variant("async def + Session (the post), default pool", "blocking", DEFAULT_POOL),
    Variant("async def + Session (the post), pool of 100", "blocking", LARGE_POOL),
    Variant("def + Session (threadpool), pool of 100", "app", LARGE_POOL),
    Variant("async def + AsyncSession, pool of 100", "async_session", LARGE_POOL),
    CEILING,
]


def seed(database: Path, tickets: int = 10) -> None:
    """A database file with the tables and a few tickets for `GET /tickets` to return."""
    engine = create_engine(f"sqlite:///{database}")
    Base.metadata.create_all(engine)
    with Session(engine) as session, session.begin():
        session.add_all(
            Ticket(
                customer_email=f"customer{number}@example.com",
                device_model="Pixel 8",
                estimated_cost=Decimal("129.99"),
                opened_by="front desk",
            )
            for number in range(tickets)
        )
    engine.dispose()


def measure(
    variant: Variant, concurrency: int, database: Path, args: argparse.Namespace
) -> harness.LoadResult:
    """`--repeat` runs, each on a fresh server, and the median of them."""
    return harness.median_run(
        [run_once(variant, concurrency, database, args) for _ in range(args.repeat)]
    )


def run_once(
    variant: Variant, concurrency: int, database: Path, args: argparse.Namespace
) -> harness.LoadResult:
    """One run: a fresh server for `variant`, loaded at `concurrency`, then stopped."""
    query_ms = args.query_ms if variant.query_ms is None else variant.query_ms
    env = {"DATABASE_URL": f"sqlite:///{database}", "SIMULATED_QUERY_MS": str(query_ms)}
    app = f"lessons.lesson_06_async.{variant.module}:app"
    # A deadlocked server never handles SIGTERM: a short grace, then SIGKILL.
    with harness.serve(app, env=env | variant.pool, stop_grace=1.0) as server:
        result = harness.measure(
            server.url("/tickets?limit=10"),
            concurrency=concurrency,
            duration=args.duration,
            timeout=args.timeout,
            headers={"X-API-Key": API_KEY},
            tool=args.tool,
        )
    print(
        f"{variant.name:<50} c={concurrency:<4} {result.requests:>6} answered"
        f" {result.requests_per_second:>8.1f} req/s  p99 {result.p99_ms} ms"
        f"  errors {result.errors}  timeouts {result.timeouts}",
        flush=True,
    )
    return result


def run(args: argparse.Namespace) -> dict[str, Any]:
    machine = harness.machine_info()  # before the runs: the load average is then other work's
    with tempfile.TemporaryDirectory(prefix="bench-async-") as directory:
        database = Path(directory) / "tickets.db"
        seed(database)
        runs: dict[str, list[harness.LoadResult]] = {variant.name: [] for variant in VARIANTS}
        # Level by level, every variant in turn: whatever else the machine does meanwhile
        # weighs on all variants of a level alike.
        for level in args.concurrency:
            for variant in VARIANTS:
                runs[variant.name].append(measure(variant, level, database, args))
    return {
        "machine": machine,
        "settings": {
            "endpoint": "GET /tickets?limit=10 (10 tickets in SQLite)",
            "simulated_query_ms": args.query_ms,
            "duration_s": args.duration,
            "repeats": args.repeat,
            "client_timeout_s": args.timeout,
            "uvicorn_workers": 1,
            "variants": {
                v.name: {"module": v.module, **v.pool, "query_ms": v.query_ms} for v in VARIANTS
            },
        },
        "runs": harness.runs_as_dicts(runs),
    }


def write_outputs(results: dict[str, Any], output: Path) -> None:
    runs = harness.runs_from_dicts(results["runs"])
    machine = results["machine"]
    settings = results["settings"]
    title = (
        f"GET /tickets, {settings['simulated_query_ms']:g} ms per query, one uvicorn "
        f"worker ({machine['cpu_count']} CPUs, {machine['date']})"
    )
    harness.plot(runs, output / f"{NAME}.png", title=title, references=[CEILING.name])
    caption = (
        f"{harness.machine_summary(machine)} One uvicorn worker, {settings['duration_s']:g} s per"
        f" run, the median of {settings.get('repeats', 1)} runs, client timeout"
        f" {settings['client_timeout_s']:g} s, every SELECT {settings['simulated_query_ms']:g} ms"
        " longer."
    )
    table = harness.markdown_table(runs)
    (output / f"{NAME}.table.txt").write_text(f"{table}\n{caption}\n")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--concurrency", type=int, nargs="+", default=[1, 10, 50, 100])
    parser.add_argument("--duration", type=float, default=5.0, help="seconds per run")
    parser.add_argument("--timeout", type=float, default=10.0, help="client timeout, seconds")
    parser.add_argument("--query-ms", type=float, default=50.0, help="added to each SELECT")
    parser.add_argument(
        "--tool", choices=["auto", "wrk", "asyncio"], default="auto", help="load generator"
    )
    parser.add_argument("--repeat", type=int, default=3, help="runs per point; the median counts")
    parser.add_argument("--replot", action="store_true", help="redraw from the saved JSON")
    parser.add_argument("--output", type=Path, default=OUTPUT, help="where results go")
    args = parser.parse_args()
    json_path = args.output / f"{NAME}.json"
    if args.replot:
        results = json.loads(json_path.read_text())
    else:
        results = run(args)
        harness.write_json(json_path, results)
    write_outputs(results, args.output)
    print(f"Wrote {json_path} and its plot and table.")


if __name__ == "__main__":
    main()
