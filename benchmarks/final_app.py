"""The final app's benchmark: RepairDesk's hot paths as a ratio to a bare FastAPI endpoint.

Three servers, one uvicorn worker each, measured in the same run on the same machine:

- `bare FastAPI`: `GET /hello` of the four-line app below, the ceiling for one worker;
- `RepairDesk GET /api/v1/tickets/{id}`: authenticated (bearer token), one SQLite query;
- `RepairDesk POST /api/v1/tickets`: authenticated, validated, one INSERT in SQLite (WAL).

Each figure is quoted as a ratio to the bare endpoint at the same concurrency, which cancels
out most of what the machine is; the bar the course sets is the authenticated read at 0.15x or
more with no errors at 200 connections. The POST needs wrk (a Lua script sends the body); the
built-in client of the harness only sends GETs, so without wrk it is left out.

Results go to docs/benchmarks/final_app.{json,png,md}; the final app's performance page
includes them.

    python -m benchmarks.final_app                  # or: nox -s bench-final
    python -m benchmarks.final_app --duration 3 --concurrency 50 200
    python -m benchmarks.final_app --replot         # redraw from the saved JSON
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
from datetime import timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

from fastapi import FastAPI
from sqlalchemy import create_engine
from sqlalchemy.orm import Session

from benchmarks import harness

OUTPUT = harness.ROOT / "docs" / "benchmarks"
NAME = "final_app"
SECRET_KEY = "benchmark-secret-key-benchmark-secret-key"  # noqa: S105 (a throwaway server)
BARE = "bare FastAPI GET /hello"
READ = "RepairDesk GET /api/v1/tickets/{id}"
CREATE = "RepairDesk POST /api/v1/tickets"
# The bar: the authenticated read at this ratio or more, with no errors, at this concurrency.
BAR_RATIO = 0.15
BAR_CONCURRENCY = 200
TICKET = {"customer_email": "ada@example.com", "device_model": "Pixel 8", "estimated_cost": "99"}

# --- the bare endpoint: what one uvicorn worker serves when the app does nothing ---------------
hello = FastAPI()


@hello.get("/hello")
async def say_hello() -> dict[str, str]:
    return {"message": "Hello"}


# --- RepairDesk, migrated and seeded ------------------------------------------------------------


def prepare(database: Path, tickets: int = 1000) -> dict[str, str]:
    """Migrate a fresh SQLite file, add a technician and tickets; the token's headers."""
    from final_app.models import Role, Ticket, User
    from final_app.security import Principal, create_access_token, hash_password

    url = f"sqlite:///{database}"
    env = {**os.environ, "REPAIRDESK_DATABASE_URL": url}
    subprocess.run([sys.executable, "-m", "final_app", "migrate"], env=env, check=True)
    engine = create_engine(url)
    with Session(engine) as session, session.begin():
        user = User(
            email="tech@example.com", password_hash=hash_password("x" * 12), role=Role.TECHNICIAN
        )
        session.add(user)
        session.add_all(
            Ticket(
                customer_email=f"customer{number}@example.com",
                device_model="Pixel 8",
                estimated_cost=Decimal("129.99"),
            )
            for number in range(tickets)
        )
        session.flush()
        principal = Principal(user_id=user.id, role=Role.TECHNICIAN)
    engine.dispose()
    token = create_access_token(principal, secret_key=SECRET_KEY, lifetime=timedelta(hours=2))
    return {"Authorization": f"Bearer {token}"}


# --- POST under load: wrk with a Lua script -----------------------------------------------------

_POST_SCRIPT = """
wrk.method = "POST"
wrk.body = {body}
wrk.headers["Content-Type"] = "application/json"
wrk.headers["Authorization"] = {authorization}
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    'WRK_JSON {{"requests":%d,"duration_us":%d,"errors":%d,"timeout":%d,' ..
    '"p50_us":%d,"p90_us":%d,"p99_us":%d,"max_us":%d}}\\n',
    summary.requests, summary.duration, e.connect + e.read + e.write + e.status, e.timeout,
    latency:percentile(50), latency:percentile(90), latency:percentile(99), latency.max))
end
"""


def measure_post(
    url: str, body: dict[str, Any], headers: dict[str, str], *, concurrency: int, duration: float
) -> harness.LoadResult:
    """Like `harness.measure` (wrk, one thread), for a POST with a JSON body."""
    script_text = _POST_SCRIPT.format(
        body=json.dumps(json.dumps(body)), authorization=json.dumps(headers["Authorization"])
    )
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as script:
        script.write(script_text)
    try:
        completed = subprocess.run(
            ["wrk", "-t", "1", "-c", str(concurrency), "-d", f"{max(1, round(duration))}s",
             "--timeout", "5s", "-s", script.name, url],
            capture_output=True, text=True, timeout=duration + 60, check=True,
        )  # fmt: skip
    finally:
        os.unlink(script.name)
    line = next(ln for ln in completed.stdout.splitlines() if ln.startswith("WRK_JSON "))
    report = json.loads(line.removeprefix("WRK_JSON "))
    seconds = report["duration_us"] / 1e6
    return harness.LoadResult(
        tool="wrk",
        url=url,
        concurrency=concurrency,
        duration_s=round(seconds, 2),
        requests=report["requests"],
        requests_per_second=round(report["requests"] / seconds, 1),
        p50_ms=round(report["p50_us"] / 1000, 2),
        p90_ms=round(report["p90_us"] / 1000, 2),
        p99_ms=round(report["p99_us"] / 1000, 2),
        max_ms=round(report["max_us"] / 1000, 2),
        errors=report["errors"],
        timeouts=report["timeout"],
    )


# --- the run -----------------------------------------------------------------------------------


def report(name: str, result: harness.LoadResult) -> None:
    print(
        f"{name:<40} c={result.concurrency:<4} {result.requests_per_second:>9.1f} req/s"
        f"  p99 {result.p99_ms} ms  errors {result.errors}  timeouts {result.timeouts}",
        flush=True,
    )


def run(args: argparse.Namespace) -> dict[str, Any]:
    machine = harness.machine_info(
        packages=("fastapi", "starlette", "uvicorn", "sqlalchemy", "pydantic")
    )
    runs: dict[str, list[harness.LoadResult]] = {BARE: [], READ: [], CREATE: []}
    with tempfile.TemporaryDirectory(prefix="bench-final-") as directory:
        database = Path(directory) / "repairdesk.db"
        headers = prepare(database)
        env = {
            "REPAIRDESK_DATABASE_URL": f"sqlite:///{database}",
            "REPAIRDESK_SECRET_KEY": SECRET_KEY,
            "REPAIRDESK_LOG_LEVEL": "WARNING",
        }
        with (
            harness.serve("benchmarks.final_app:hello", ready_path="/hello") as bare,
            harness.serve("final_app.main:app", env=env, ready_path="/health/ready") as repairdesk,
        ):
            read_url = repairdesk.url("/api/v1/tickets/500")
            # Warm up both (imports, pools, caches) before anything counts.
            harness.measure(bare.url("/hello"), concurrency=10, duration=1)
            harness.measure(read_url, concurrency=10, duration=1, headers=headers)
            for concurrency in args.concurrency:
                # Interleaved by level: a drift in the machine's speed touches all three alike.
                bare_result = harness.measure(
                    bare.url("/hello"), concurrency=concurrency, duration=args.duration
                )
                read_result = harness.measure(
                    read_url, concurrency=concurrency, duration=args.duration, headers=headers
                )
                runs[BARE].append(bare_result)
                runs[READ].append(read_result)
                report(BARE, bare_result)
                report(READ, read_result)
                if harness.wrk_available():
                    create_result = measure_post(
                        repairdesk.url("/api/v1/tickets"),
                        TICKET,
                        headers,
                        concurrency=concurrency,
                        duration=args.duration,
                    )
                    runs[CREATE].append(create_result)
                    report(CREATE, create_result)
    if not runs[CREATE]:
        del runs[CREATE]
    return {
        "machine": machine,
        "settings": {
            "duration_s": args.duration,
            "uvicorn_workers": 1,
            "database": "SQLite (WAL), 1000 tickets",
            "bar": {"variant": READ, "concurrency": BAR_CONCURRENCY, "min_ratio": BAR_RATIO},
        },
        "runs": harness.runs_as_dicts(runs),
        "ratios": ratios(harness.runs_from_dicts(harness.runs_as_dicts(runs))),
    }


def ratios(runs: harness.Runs) -> dict[str, dict[str, float]]:
    """Each RepairDesk figure over the bare endpoint's at the same concurrency."""
    bare = {r.concurrency: r.requests_per_second for r in runs[BARE]}
    return {
        name: {
            str(r.concurrency): round(r.requests_per_second / bare[r.concurrency], 3)
            for r in results
        }
        for name, results in runs.items()
        if name != BARE
    }


def ratio_table(results: dict[str, Any]) -> str:
    levels = [str(r["concurrency"]) for r in results["runs"][BARE]]
    rows = [
        "| RepairDesk ÷ bare FastAPI | " + " | ".join(f"{level} conn." for level in levels) + " |",
        "| --- |" + " ---: |" * len(levels),
    ]
    for name, by_level in results["ratios"].items():
        rows.append(
            f"| {name} | " + " | ".join(f"{by_level[level]:.3f}x" for level in levels) + " |"
        )
    return "\n".join(rows) + "\n"


def verdict(results: dict[str, Any]) -> str:
    level = str(BAR_CONCURRENCY)
    ratio = results["ratios"][READ].get(level)
    measured = [r for r in results["runs"][READ] if str(r["concurrency"]) == level]
    if ratio is None or not measured:
        return f"The bar ({BAR_RATIO}x at {level} connections) was not measured in this run."
    errors = measured[0]["errors"] + measured[0]["timeouts"]
    met = ratio >= BAR_RATIO and errors == 0
    return (
        f"At {level} connections the authenticated read runs at {ratio:.3f}x bare FastAPI with "
        f"{errors} errors: the bar ({BAR_RATIO}x, no errors) is {'met' if met else 'NOT met'}."
    )


def write_outputs(results: dict[str, Any], output: Path) -> None:
    runs = harness.runs_from_dicts(results["runs"])
    machine = results["machine"]
    title = (
        f"RepairDesk against bare FastAPI, one uvicorn worker, SQLite "
        f"({machine['cpu_count']} CPUs, {machine['date']})"
    )
    harness.plot(runs, output / f"{NAME}.png", title=title)
    (output / f"{NAME}.md").write_text(
        ratio_table(results)
        + "\n"
        + verdict(results)
        + "\n\n"
        + harness.markdown_table(runs)
        + f"\nMeasured {machine['date']} on {machine['cpu_count']} CPUs ({machine['cpu_model']}), "
        f"Python {machine['python']}, load generator: {machine['load_generator']}.\n"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--concurrency", type=int, nargs="+", default=[10, 50, 200])
    parser.add_argument("--duration", type=float, default=5.0, help="seconds per run")
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
    print(verdict(results))
    print(f"Wrote {json_path} and its plot and table.")


if __name__ == "__main__":
    main()
