"""The final app's benchmark: RepairDesk's hot paths as a ratio to a bare FastAPI endpoint.

Four servers (bare, RepairDesk, RepairDesk with 40 database threads, RepairDesk with the
textbook read added), one uvicorn worker each, measured in the same run on the same machine:

- `bare FastAPI`: `GET /hello` of the four-line app below, the ceiling for one worker;
- `RepairDesk GET /api/v1/tickets/{id}`: authenticated (bearer token, the account checked in
  the same query), one SQLite query, as shipped (`REPAIRDESK_DB_THREADS` at its default);
- `RepairDesk POST /api/v1/tickets`: authenticated, validated, one INSERT in SQLite (WAL);
- the same read with 40 database threads, the size of FastAPI's own threadpool: what the
  default of a few threads saves;
- `textbook GET /textbook/tickets/{id}`: the same read written the textbook way (below), on the
  same database: `def` endpoint, a yield dependency for the session, the user looked up
  by a sync dependency. Every one of those is its own trip to the threadpool.

Each figure is quoted as a ratio to the bare endpoint at the same concurrency, which cancels
out most of what the machine is; the bar the course sets is the authenticated read at 0.15x or
more with no errors at 200 connections.

Results go to docs/benchmarks/final_app.{json,png,table.txt}; the final app's performance page
includes them.

    python -m benchmarks.final_app                  # or: nox -s bench-final
    python -m benchmarks.final_app --duration 3 --concurrency 50 200
    python -m benchmarks.final_app --replot         # redraw from the saved JSON
"""

# No `from __future__ import annotations`: FastAPI must see textbook_app's local types.
import argparse
import importlib
import json
import os
import secrets
import subprocess
import sys
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager, nullcontext
from datetime import timedelta
from decimal import Decimal
from functools import partial
from pathlib import Path
from typing import Annotated, Any

from fastapi import Depends, FastAPI, HTTPException
from sqlalchemy import create_engine, make_url, text
from sqlalchemy.orm import Session

from benchmarks import harness

OUTPUT = harness.ROOT / "docs" / "benchmarks"
NAME = "final_app"
SECRET_KEY = "benchmark-secret-key-benchmark-secret-key"  # noqa: S105 (a throwaway server)
BARE = "bare FastAPI GET /hello"
READ = "RepairDesk GET /api/v1/tickets/{id}"
CREATE = "RepairDesk POST /api/v1/tickets"
TEXTBOOK = "textbook GET /textbook/tickets/{id}"
MANY_THREADS = "RepairDesk GET, 40 database threads"
READ_POSTGRESQL = "RepairDesk GET, PostgreSQL"
CREATE_POSTGRESQL = "RepairDesk POST, PostgreSQL"
# A request of the textbook design holds its connection from its first query until the hop
# that closes the session: with a pool smaller than the number of requests in flight, it
# deadlocks (lesson 06). A pool this large (one connection per database thread, which it does
# not otherwise use) measures its hops, not that.
TEXTBOOK_POOL = {"REPAIRDESK_DB_THREADS": "250"}
# The bar: the authenticated read at this ratio or more, with no errors, at this concurrency.
BAR_RATIO = 0.15
BAR_CONCURRENCY = 200
TICKET = {"customer_email": "ada@example.com", "device_model": "Pixel 8", "estimated_cost": "99"}

# --- the bare endpoint: what one uvicorn worker serves when the app does nothing ---------------
hello = FastAPI()


@hello.get("/hello")
async def say_hello() -> dict[str, str]:
    return {"message": "Hello"}


# --- the textbook design, for comparison ------------------------------------------------------


# --8<-- [start:textbook]
def textbook_app() -> FastAPI:
    """RepairDesk plus the read written the usual way: five trips to the threadpool, two queries.

    Served with `uvicorn --factory`; the settings come from the environment as for the real app.
    """
    from final_app.api.deps import oauth2_scheme
    from final_app.main import create_app
    from final_app.models import Ticket, User
    from final_app.schemas import TicketRead
    from final_app.security import InvalidTokenError, decode_access_token

    app = create_app()
    database = app.state.database
    secret_key = app.state.settings.secret_key.get_secret_value()

    def get_session() -> Iterator[Session]:  # sync yield dependency: a hop in, a hop out
        with database.sessions.begin() as session:
            yield session

    def get_current_user(
        token: Annotated[str, Depends(oauth2_scheme)],
        session: Annotated[Session, Depends(get_session)],
    ) -> User:  # sync dependency: a hop, and a query
        try:
            principal = decode_access_token(token, secret_key=secret_key)
        except InvalidTokenError:
            raise HTTPException(401, "Could not validate credentials") from None
        user = session.get(User, principal.user_id)
        if user is None:
            raise HTTPException(401, "Could not validate credentials")
        return user

    @app.get("/textbook/tickets/{ticket_id}")
    def read_ticket(  # sync endpoint: a hop, and another for validating the response
        ticket_id: int,
        user: Annotated[User, Depends(get_current_user)],
        session: Annotated[Session, Depends(get_session)],
    ) -> TicketRead:
        ticket = session.get(Ticket, ticket_id)
        if ticket is None:
            raise HTTPException(404, "Ticket not found")
        return TicketRead.model_validate(ticket)

    return app


# --8<-- [end:textbook]


# --- RepairDesk, migrated and seeded ------------------------------------------------------------


def prepare(url: str, tickets: int = 1000, *, package: str = "final_app") -> dict[str, str]:
    """Migrate an empty database, add a technician and tickets; the token's headers.

    `package` is the final app or lesson 09, which it grew from: the same models and tokens.
    """
    models = importlib.import_module(f"{package}.models")
    security = importlib.import_module(f"{package}.security")
    technician = models.Role.TECHNICIAN

    env = {**os.environ, "REPAIRDESK_DATABASE_URL": url}
    subprocess.run([sys.executable, "-m", package, "migrate"], env=env, check=True)
    engine = create_engine(url)
    with Session(engine) as session, session.begin():
        user = models.User(
            email="tech@example.com",
            password_hash=security.hash_password("x" * 12),
            role=technician,
        )
        session.add(user)
        session.add_all(
            models.Ticket(
                customer_email=f"customer{number}@example.com",
                device_model="Pixel 8",
                estimated_cost=Decimal("129.99"),
            )
            for number in range(tickets)
        )
        session.flush()
        principal = security.Principal(user_id=user.id, role=technician)
    engine.dispose()
    token = security.create_access_token(
        principal, secret_key=SECRET_KEY, lifetime=timedelta(hours=2)
    )
    return {"Authorization": f"Bearer {token}"}


@contextmanager
def postgresql_schema(server_url: str, prefix: str = "bench_final") -> Iterator[str]:
    """A schema of its own on the server, dropped afterwards; a URL whose tables live in it."""
    name = f"{prefix}_{secrets.token_hex(4)}"
    admin = create_engine(server_url)
    with admin.begin() as connection:
        connection.execute(text(f"CREATE SCHEMA {name}"))
    try:
        url = make_url(server_url).update_query_dict({"options": f"-csearch_path={name}"})
        yield url.render_as_string(hide_password=False)
    finally:
        with admin.begin() as connection:
            connection.execute(text(f"DROP SCHEMA {name} CASCADE"))
        admin.dispose()


# --- the run -----------------------------------------------------------------------------------


def report(name: str, result: harness.LoadResult, cpu_us: float | None) -> None:
    print(
        f"{name:<40} c={result.concurrency:<4} {result.requests_per_second:>9.1f} req/s"
        f"  p99 {result.p99_ms} ms  errors {result.errors}  timeouts {result.timeouts}"
        f"  server CPU {cpu_us} us/request",
        flush=True,
    )


def server_cpu_seconds(server: harness.Server) -> float | None:
    """CPU time the server process has used (Linux /proc), or None elsewhere."""
    try:
        fields = Path(f"/proc/{server.process.pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return None
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")  # utime + stime


def measured(
    server: harness.Server,
    cpu: dict[str, list[float | None]],
    name: str,
    run: Callable[[], harness.LoadResult],
) -> harness.LoadResult:
    """`run()`'s load result; records the server's CPU microseconds per request answered.

    CPU per request barely moves when other work shares the machine, unlike requests/s.
    """
    before = server_cpu_seconds(server)
    result = run()
    after = server_cpu_seconds(server)
    per_request = None
    if before is not None and after is not None and result.requests:
        per_request = round((after - before) / result.requests * 1e6, 1)
    cpu[name].append(per_request)
    report(name, result, per_request)
    return result


def run(args: argparse.Namespace) -> dict[str, Any]:
    machine = harness.machine_info(
        packages=("fastapi", "starlette", "uvicorn", "sqlalchemy", "pydantic")
    )
    variants = [BARE, READ, MANY_THREADS, TEXTBOOK, CREATE]
    if args.postgresql:
        variants += [READ_POSTGRESQL, CREATE_POSTGRESQL]
    runs: dict[str, list[harness.LoadResult]] = {name: [] for name in variants}
    cpu: dict[str, list[float | None]] = {name: [] for name in variants}
    with (
        tempfile.TemporaryDirectory(prefix="bench-final-") as directory,
        postgresql_schema(args.postgresql) if args.postgresql else nullcontext("") as pg_url,
    ):
        url = f"sqlite:///{Path(directory) / 'repairdesk.db'}"
        headers = prepare(url)
        env = {
            "REPAIRDESK_DATABASE_URL": url,
            "REPAIRDESK_SECRET_KEY": SECRET_KEY,
            "REPAIRDESK_LOG_LEVEL": "WARNING",
        }
        pg_headers = prepare(pg_url) if pg_url else {}
        with (
            harness.serve("benchmarks.final_app:hello", ready_path="/hello") as bare,
            harness.serve("final_app.main:app", env=env, ready_path="/health/ready") as repairdesk,
            harness.serve(
                "final_app.main:app",
                env={**env, "REPAIRDESK_DB_THREADS": "40"},
                ready_path="/health/ready",
            ) as many_threads,
            harness.serve(
                "benchmarks.final_app:textbook_app",
                env={**env, **TEXTBOOK_POOL},
                ready_path="/health/ready",
                uvicorn_args=["--factory"],
            ) as textbook,
            harness.serve(
                "final_app.main:app",
                env={**env, "REPAIRDESK_DATABASE_URL": pg_url},
                ready_path="/health/ready",
            )
            if pg_url
            else nullcontext() as on_postgresql,
        ):
            targets = {
                BARE: (bare, bare.url("/hello"), {}),
                READ: (repairdesk, repairdesk.url("/api/v1/tickets/500"), headers),
                MANY_THREADS: (many_threads, many_threads.url("/api/v1/tickets/500"), headers),
                TEXTBOOK: (textbook, textbook.url("/textbook/tickets/500"), headers),
            }
            creates = {CREATE: (repairdesk, headers)}
            if on_postgresql is not None:
                read_url = on_postgresql.url("/api/v1/tickets/500")
                targets[READ_POSTGRESQL] = (on_postgresql, read_url, pg_headers)
                creates[CREATE_POSTGRESQL] = (on_postgresql, pg_headers)
            # Warm up (imports, pools, caches) before anything counts.
            for _, url, warm_headers in targets.values():
                harness.measure(url, concurrency=10, duration=1, headers=warm_headers)
            for concurrency in args.concurrency:
                # Interleaved by level: a drift in the machine's speed touches all alike.
                for name, (server, url, request_headers) in targets.items():
                    load = partial(
                        harness.measure,
                        url,
                        concurrency=concurrency,
                        duration=args.duration,
                        headers=request_headers,
                    )
                    runs[name].append(measured(server, cpu, name, load))
                for name, (server, request_headers) in creates.items():
                    load = partial(
                        harness.measure,
                        server.url("/api/v1/tickets"),
                        concurrency=concurrency,
                        duration=args.duration,
                        headers=request_headers,
                        json_body=TICKET,
                    )
                    runs[name].append(measured(server, cpu, name, load))
    dicts = harness.runs_as_dicts(runs)
    return {
        "machine": machine,
        "settings": {
            "duration_s": args.duration,
            "uvicorn_workers": 1,
            "database": "SQLite (WAL), 1000 tickets"
            + (", and PostgreSQL on the same machine" if args.postgresql else ""),
            "bar": {"variant": READ, "concurrency": BAR_CONCURRENCY, "min_ratio": BAR_RATIO},
        },
        "runs": dicts,
        "server_cpu_us_per_request": cpu,
        "ratios": ratios(harness.runs_from_dicts(dicts)),
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
    """Throughput ratios, then server CPU per request (the steadier figure on a busy machine)."""
    levels = [str(r["concurrency"]) for r in results["runs"][BARE]]
    header = " | ".join(f"{level} conn." for level in levels)
    rows = [
        f"| requests/s, as a ratio to bare FastAPI | {header} |",
        "| --- |" + " ---: |" * len(levels),
    ]
    for name, by_level in results["ratios"].items():
        rows.append(
            f"| {name} | " + " | ".join(f"{by_level[level]:.3f}x" for level in levels) + " |"
        )
    cpu = results.get("server_cpu_us_per_request", {})
    if cpu:
        rows += [
            "",
            f"| server CPU per request (microseconds) | {header} |",
            "| --- |" + " ---: |" * len(levels),
        ]
        for name, figures in cpu.items():
            cells = " | ".join("—" if value is None else f"{value:,.0f}" for value in figures)
            rows.append(f"| {name} | {cells} |")
    return "\n".join(rows) + "\n"


def bar_verdict(results: dict[str, Any], variant: str, database: str) -> str:
    level = str(BAR_CONCURRENCY)
    ratio = results["ratios"].get(variant, {}).get(level)
    at_level = [r for r in results["runs"].get(variant, []) if str(r["concurrency"]) == level]
    if ratio is None or not at_level:
        return f"The bar ({BAR_RATIO}x at {level} connections) was not measured on {database}."
    errors = at_level[0]["errors"] + at_level[0]["timeouts"]
    met = ratio >= BAR_RATIO and errors == 0
    return (
        f"At {level} connections the authenticated read on {database} runs at {ratio:.3f}x bare"
        f" FastAPI with {errors} errors: the bar ({BAR_RATIO}x, no errors) is"
        f" {'met' if met else 'NOT met'}."
    )


def verdict(results: dict[str, Any]) -> str:
    level = str(BAR_CONCURRENCY)
    text = bar_verdict(results, READ, "SQLite")
    cpu = results.get("server_cpu_us_per_request", {})
    levels = [str(r["concurrency"]) for r in results["runs"][BARE]]
    if cpu and None not in cpu[BARE] and None not in cpu[READ]:
        index = levels.index(level)
        text += (
            f" By server CPU per request, that read costs {cpu[READ][index] / cpu[BARE][index]:.1f}"
            f" times the bare endpoint's (a ratio of {cpu[BARE][index] / cpu[READ][index]:.3f}x),"
            f" the textbook read {cpu[TEXTBOOK][index] / cpu[BARE][index]:.1f} times"
            f" ({cpu[BARE][index] / cpu[TEXTBOOK][index]:.3f}x)."
        )
    if READ_POSTGRESQL in results["runs"]:
        text += " " + bar_verdict(results, READ_POSTGRESQL, "PostgreSQL")
    return text


def write_outputs(results: dict[str, Any], output: Path) -> None:
    runs = harness.runs_from_dicts(results["runs"])
    machine = results["machine"]
    title = (
        f"RepairDesk against bare FastAPI, one uvicorn worker "
        f"({machine['cpu_count']} CPUs, {machine['date']})"
    )
    harness.plot(runs, output / f"{NAME}.png", title=title, references=[BARE])
    every_run = harness.markdown_table(runs).replace("\n", "\n    ").rstrip()
    (output / f"{NAME}.table.txt").write_text(
        ratio_table(results)
        + "\n"
        + verdict(results)
        + '\n\n??? note "Every run: requests per second, latency, errors"\n\n    '
        + every_run
        + f"\n\nMeasured {machine['date']} on {machine['cpu_count']} CPUs ({machine['cpu_model']}),"
        f" Python {machine['python']}, load generator: {machine['load_generator']},"
        f" load average before the run: {machine['load_average_1min']}.\n"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--concurrency", type=int, nargs="+", default=[10, 50, 200])
    parser.add_argument("--duration", type=float, default=5.0, help="seconds per run")
    parser.add_argument("--replot", action="store_true", help="redraw from the saved JSON")
    parser.add_argument("--output", type=Path, default=OUTPUT, help="where results go")
    parser.add_argument(
        "--postgresql",
        default=os.environ.get("TEST_DATABASE_URL", ""),
        help="a PostgreSQL server URL to measure on too, in a schema of its own"
        " (default: $TEST_DATABASE_URL; empty: SQLite only)",
    )
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
