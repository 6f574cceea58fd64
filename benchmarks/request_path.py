"""Lesson 09's waterfall: lesson 08 grown into the final app one decision at a time, measured.

Every step is ONE decision, served by its own uvicorn worker and measured in the same run, on
the authenticated read of one ticket (`GET`, a bearer token) and on the create (`POST`):

0. bare FastAPI `GET /hello`: the reference every figure is divided by (see `final_app.py`);
1. lesson 08 as shipped: `def` endpoints, a `Depends(get_db)` yield session, the user looked up
   by a sync dependency on every request, FastAPI's 40-thread threadpool, its pool of 5 + 10
   connections;
2. the same app with AnyIO's default thread limiter lowered (`--threads`, default 2, lesson
   09's number of database threads) by a lifespan wrapper built here: what sizing alone buys;
3. lesson 09 as shipped: `async def` endpoints, one `Database.run` trip per request in its
   database threads (`REPAIRDESK_DB_THREADS`, default 2), services returning schemas, the
   principal from the token and the account checked in the same trip;
4. lesson 09 with the principal from the token alone: built here, its trips skip the account
   check, to show what that check costs;
5. the final app as shipped: lesson 09 plus what production adds (request ids, JSON 500s, ...).

Each app gets a database of its own, migrated with its own command and seeded alike (a
technician, 1000 tickets): a SQLite file, and with `--postgresql` (default $TEST_DATABASE_URL)
a schema of its own on that server. Levels are interleaved (every step at 10 connections, then
at 50...), so a drift in the machine's speed touches every step alike. After each run the
server must finish what the run left in it before the next run starts; one still busy after
`--drain-limit` seconds is stuck (its requests wait for each other, not for the CPU): the
exceptions it logged are kept, and it is restarted.

Results go to docs/benchmarks/request_path.{json,png,table.txt}; lesson 09's page includes them.

    python -m benchmarks.request_path              # or: nox -s bench-request-path
    python -m benchmarks.request_path --duration 3 --concurrency 50 200
    python -m benchmarks.request_path --replot     # redraw from the saved JSON
"""

from __future__ import annotations

import argparse
import dataclasses
import http.client
import json
import os
import re
import resource
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.parse
from collections import Counter
from collections.abc import AsyncIterator, Callable, Mapping, Sequence
from contextlib import AbstractContextManager, ExitStack, asynccontextmanager
from datetime import timedelta
from decimal import Decimal
from functools import partial
from pathlib import Path
from typing import Any

import anyio.to_thread
from fastapi import FastAPI
from sqlalchemy import create_engine
from sqlalchemy.orm import Session

from benchmarks import harness
from benchmarks.final_app import (
    SECRET_KEY,
    TICKET,
    measured,
    postgresql_schema,
    prepare,
    server_cpu_seconds,
)

OUTPUT = harness.ROOT / "docs" / "benchmarks"
NAME = "request_path"
LESSON_08 = "lessons.lesson_08_security"
LESSON_09 = "lessons.lesson_09_request_path"
THREADS_VARIABLE = "BENCH_LESSON_08_THREADS"  # read by lesson_08_sized_threads()
DEFAULT_THREADS = 2  # lesson 09's REPAIRDESK_DB_THREADS: the same threads, other trips
READ, CREATE = "GET", "POST"
OPERATIONS = (READ, CREATE)
SQLITE, POSTGRESQL = "SQLite", "PostgreSQL"
TICKET_ID = 500
QUIET = 0.2  # CPUs other processes may use before a run starts (of the machine's)


@dataclasses.dataclass(frozen=True)
class Step:
    number: int
    name: str
    decision: str
    base: int | None = None  # the step this one changes one thing of


STEPS = (
    Step(0, "bare FastAPI GET /hello", "the reference: one uvicorn worker, no app work"),
    Step(1, "lesson 08 as shipped", "def endpoints, sync dependencies, 40 threads"),
    Step(2, "lesson 08, threadpool sized", "AnyIO's default thread limiter lowered", base=1),
    Step(3, "lesson 09 as shipped", "async def, one Database.run trip, account checked", base=2),
    Step(4, "lesson 09, token alone", "the same without the account check", base=3),
    Step(5, "final app as shipped", "lesson 09 plus what production adds", base=3),
)
BARE = STEPS[0]
SIZED = 2  # the step whose name says how many threads


def variant(step: Step, operation: str = READ, database: str = "") -> str:
    """The name a run is saved under: "SQLite: 3. lesson 09 as shipped, GET"."""
    if step is BARE:
        return f"{step.number}. {step.name}"
    return f"{database}: {step.number}. {step.name}, {operation}"


# --- the two variants built here ------------------------------------------------------------


# --8<-- [start:sized-threads]
def lesson_08_sized_threads() -> FastAPI:
    """Lesson 08 as shipped, with AnyIO's default thread limiter (40) set to a few threads.

    Served with `uvicorn --factory`; the number comes from BENCH_LESSON_08_THREADS. Every `def`
    endpoint and sync dependency of the app runs in that limiter's threads.
    """
    from lessons.lesson_08_security.config import load_settings
    from lessons.lesson_08_security.main import create_app

    app = create_app(load_settings())
    shipped = app.router.lifespan_context
    threads = int(os.environ[THREADS_VARIABLE])

    @asynccontextmanager
    async def sized(app: FastAPI) -> AsyncIterator[None]:
        # The limiter belongs to the event loop: set it from inside, before the first request.
        anyio.to_thread.current_default_thread_limiter().total_tokens = threads
        async with shipped(app):
            yield

    app.router.lifespan_context = sized
    return app


# --8<-- [end:sized-threads]


# --8<-- [start:token-alone]
def lesson_09_token_alone() -> FastAPI:
    """Lesson 09 as shipped, but its database trips trust the token: no account check.

    The token is still verified (signature, expiry, audience, role) on the event loop; only the
    primary-key read of the account inside the trip, which makes a deactivation count at once,
    is gone. Served with `uvicorn --factory`.

    Not with `app.dependency_overrides`: while any override is set, FastAPI rebuilds every
    dependency of a route from its signature on every request, a cost of its own that would
    swamp the check's.
    """
    from lessons.lesson_09_request_path.api import deps
    from lessons.lesson_09_request_path.main import create_app

    def trust_the_token(session: Session, principal: object, needs: object) -> None:
        """`check_account` without the read: whatever the token says, stands."""

    if not callable(getattr(deps, "check_account", None)):
        raise RuntimeError("lesson 09's AuthorizedDatabase no longer calls deps.check_account")
    # What `AuthorizedDatabase.run` calls in the trip: a name deps imports for itself, which
    # it does not export, hence mypy's objection to replacing it from outside.
    deps.check_account = trust_the_token  # type: ignore[attr-defined]
    return create_app()


# --8<-- [end:token-alone]


# --- the databases --------------------------------------------------------------------------


def prepare_lesson_08(url: str, tickets: int = 1000) -> dict[str, str]:
    """Lesson 08's way: its migrate command, its `create_user`, its token; the token's headers."""
    from lessons.lesson_08_security.config import load_settings
    from lessons.lesson_08_security.models import Role, Ticket
    from lessons.lesson_08_security.schemas import UserCreate
    from lessons.lesson_08_security.security import Principal, create_access_token, hash_password
    from lessons.lesson_08_security.users import create_user

    env = {**os.environ, "REPAIRDESK_DATABASE_URL": url, "REPAIRDESK_SECRET_KEY": SECRET_KEY}
    subprocess.run([sys.executable, "-m", LESSON_08, "migrate"], env=env, check=True)
    settings = load_settings(database_url=url, secret_key=SECRET_KEY)
    engine = create_engine(settings.database_url.get_secret_value())
    with Session(engine) as session:
        tech = UserCreate(email="tech@example.com", password="x" * 12, role=Role.TECHNICIAN)
        user = create_user(session, tech, hash_password(tech.password))
        session.add_all(
            Ticket(
                customer_email=f"customer{number}@example.com",
                device_model="Pixel 8",
                estimated_cost=Decimal("129.99"),
                opened_by=tech.email,
            )
            for number in range(tickets)
        )
        session.commit()
    engine.dispose()
    principal = Principal(user_id=user.id, role=user.role)
    token = create_access_token(principal, secret_key=SECRET_KEY, lifetime=timedelta(hours=2))
    return {"Authorization": f"Bearer {token}"}


@dataclasses.dataclass
class Target:
    """One step on one database: how to start its server, and what its read and create are.

    A run can leave a server stuck (requests waiting for each other, not for the CPU): the
    server is then restarted, so that no measurement starts where the last one got stuck.
    """

    launch: Callable[[], AbstractContextManager[harness.Server]]
    read_path: str
    create_path: str | None
    headers: Mapping[str, str]
    _running: ExitStack = dataclasses.field(default_factory=ExitStack)
    _server: harness.Server | None = None
    _log_read: int = 0

    @property
    def server(self) -> harness.Server:
        if self._server is None:
            raise RuntimeError("the server is not running: start() it")
        return self._server

    def url(self, path: str) -> str:
        return self.server.url(path)

    def start(self) -> None:
        self._server = self._running.enter_context(self.launch())
        self._log_read = 0
        # Imports, pools and caches, before anything counts; one connection cannot get stuck.
        harness.measure(self.url(self.read_path), concurrency=1, duration=1, headers=self.headers)
        if self.create_path:
            harness.measure(
                self.url(self.create_path),
                concurrency=1,
                duration=1,
                headers=self.headers,
                json_body=TICKET,
            )
        drain(self, limit=60)

    def stop(self) -> None:
        self._running.close()
        self._server = None

    def new_exceptions(self) -> dict[str, int]:
        """The exceptions the server logged since the last call: a line each, and how often."""
        log = self.server.log()
        new, self._log_read = log[self._log_read :], len(log)
        return exceptions_in(new)


EXCEPTION_LINE = re.compile(r"^(?:\w+\.)*\w*(?:Error|Exception|Timeout)\w*: .+$")


def exceptions_in(log: str) -> dict[str, int]:
    """The exception that ended each traceback (`sqlalchemy.exc.TimeoutError: QueuePool ...`).

    An exception that caused or was handled into another is left out: the last one counts.
    """
    counts: Counter[str] = Counter()
    lines = log.splitlines()
    for index, line in enumerate(lines):
        following = " ".join(lines[index + 1 : index + 3])
        if EXCEPTION_LINE.match(line) and "the above exception" not in following.lower():
            counts[line.split(" (Background on this error")[0][:160]] += 1
    return dict(counts.most_common())


def targets_on(url_for: Mapping[str, str], threads: int) -> list[Target]:
    """Steps 1 to 5 on one database, each on its own server; `url_for` maps app -> database URL."""
    headers_08 = prepare_lesson_08(url_for[LESSON_08])
    headers_09 = prepare(url_for[LESSON_09], package=LESSON_09)
    headers_final = prepare(url_for["final_app"])
    common = {"REPAIRDESK_SECRET_KEY": SECRET_KEY, "REPAIRDESK_LOG_LEVEL": "WARNING"}
    env_08 = {**common, "REPAIRDESK_DATABASE_URL": url_for[LESSON_08]}
    env_09 = {**common, "REPAIRDESK_DATABASE_URL": url_for[LESSON_09]}
    env_final = {**common, "REPAIRDESK_DATABASE_URL": url_for["final_app"]}
    factory = ["--factory"]
    read_08, read_v1 = f"/tickets/{TICKET_ID}", f"/api/v1/tickets/{TICKET_ID}"
    return [
        Target(
            partial(harness.serve, f"{LESSON_08}.app:app", env=env_08, ready_path="/health"),
            read_08,
            "/tickets",
            headers_08,
        ),
        Target(
            partial(
                harness.serve,
                "benchmarks.request_path:lesson_08_sized_threads",
                env={**env_08, THREADS_VARIABLE: str(threads)},
                ready_path="/health",
                uvicorn_args=factory,
            ),
            read_08,
            "/tickets",
            headers_08,
        ),
        Target(
            partial(harness.serve, f"{LESSON_09}.app:app", env=env_09, ready_path="/openapi.json"),
            read_v1,
            "/api/v1/tickets",
            headers_09,
        ),
        Target(
            partial(
                harness.serve,
                "benchmarks.request_path:lesson_09_token_alone",
                env=env_09,
                ready_path="/openapi.json",
                uvicorn_args=factory,
            ),
            read_v1,
            "/api/v1/tickets",
            headers_09,
        ),
        Target(
            partial(harness.serve, "final_app.main:app", env=env_final, ready_path="/health/ready"),
            read_v1,
            "/api/v1/tickets",
            headers_final,
        ),
    ]


# --- the run ---------------------------------------------------------------------------------


def answers(url: str, headers: Mapping[str, str], timeout: float) -> bool:
    """Whether one GET of `url` gets a 2xx within `timeout` seconds."""
    parts = urllib.parse.urlsplit(url)
    connection = http.client.HTTPConnection(parts.hostname or "", parts.port, timeout=timeout)
    try:
        connection.request("GET", parts.path, headers=dict(headers))
        return 200 <= connection.getresponse().status < 300
    except OSError:
        return False
    finally:
        connection.close()


def drain(target: Target, *, limit: float, quiet: float = 0.3) -> float | None:
    """Wait until the server has finished what the last run left in it; the seconds it took.

    When wrk stops, the requests it sent last are still in the server: left there, they would
    run during the next measurement. Done means idle (under 5% of a core over `quiet` seconds)
    and answering the read within a second. None: still not done after `limit` seconds.
    """
    started = time.monotonic()
    while time.monotonic() - started < limit:
        before = server_cpu_seconds(target.server)
        time.sleep(quiet)
        after = server_cpu_seconds(target.server)
        idle = before is None or after is None or after - before < 0.05 * quiet
        if idle and answers(target.url(target.read_path), target.headers, timeout=1.0):
            return round(time.monotonic() - started, 1)
    return None


def machine_busy_seconds() -> float | None:
    """CPU time every process has used, all CPUs together (Linux /proc/stat), or None.

    Steal time counts as busy: on a virtual machine it is CPU another guest took from this one.
    """
    try:
        first_line = Path("/proc/stat").read_text().split("\n", 1)[0]
    except OSError:
        return None
    user, nice, system, _idle, _iowait, irq, softirq, steal = map(int, first_line.split()[1:9])
    return (user + nice + system + irq + softirq + steal) / os.sysconf("SC_CLK_TCK")


def own_seconds() -> float:
    """CPU time of this process and of the children it has waited for (every wrk run)."""
    own, children = (
        resource.getrusage(resource.RUSAGE_SELF),
        resource.getrusage(resource.RUSAGE_CHILDREN),
    )
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def database_server_seconds() -> float:
    """CPU time of the PostgreSQL server's processes on this machine (0 without one).

    A run on PostgreSQL keeps it busy too: that is the step's own work, not somebody else's.
    """
    total = 0
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            name, fields = stat.read_text().rsplit(")", 1)
        except (OSError, ValueError):
            continue  # the process ended meanwhile
        if name.endswith("(postgres"):
            utime, stime = fields.split()[11:13]
            total += int(utime) + int(stime)
    return total / os.sysconf("SC_CLK_TCK")


Snapshot = tuple[float, float | None, float | None, float]


def snapshot(server: harness.Server | None = None) -> Snapshot:
    """The time, and CPU seconds that are not somebody else's: server, ours, database."""
    busy = machine_busy_seconds()
    server_seconds = server_cpu_seconds(server) if server else 0.0
    ours = own_seconds() + database_server_seconds()
    return time.monotonic(), busy, server_seconds, ours


def others_between(before: Snapshot, after: Snapshot) -> float | None:
    """How many CPUs other processes kept busy in between (not the server, wrk, this one,
    PostgreSQL)."""
    (started, busy_0, server_0, own_0), (ended, busy_1, server_1, own_1) = before, after
    if busy_0 is None or busy_1 is None or server_0 is None or server_1 is None:
        return None
    others = (busy_1 - busy_0) - (server_1 - server_0) - (own_1 - own_0)
    return round(max(0.0, others) / (ended - started), 2)


def wait_for_quiet(limit: float, threshold: float = QUIET) -> float | None:
    """Wait up to `limit` s for other processes to use under `threshold` CPUs for a second.

    The machine is shared: a test suite started by someone else takes CPU from the server and
    from wrk alike. The servers are idle here, so what is busy is somebody else's.
    """
    deadline = time.monotonic() + limit
    while True:
        before = snapshot()
        time.sleep(1.0)
        others = others_between(before, snapshot())
        if others is None or others < threshold or time.monotonic() > deadline:
            return others


def run(args: argparse.Namespace) -> dict[str, Any]:
    machine = harness.machine_info(
        packages=("fastapi", "starlette", "uvicorn", "anyio", "sqlalchemy", "pydantic")
    )
    databases = [SQLITE] + ([POSTGRESQL] if args.postgresql else [])
    names = [variant(BARE)] + [
        variant(step, operation, database)
        for database in databases
        for step in STEPS[1:]
        for operation in OPERATIONS
    ]
    runs: dict[str, list[harness.LoadResult]] = {name: [] for name in names}
    cpu: dict[str, list[float | None]] = {name: [] for name in names}
    drained: dict[str, list[float | None]] = {name: [] for name in names}
    exceptions: dict[str, list[dict[str, int]]] = {name: [] for name in names}
    others: dict[str, list[float | None]] = {name: [] for name in names}
    quiet: dict[str, list[float | None]] = {name: [] for name in names}
    apps = (LESSON_08, LESSON_09, "final_app")
    started = time.monotonic()
    with ExitStack() as stack:
        directory = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="bench-path-")))
        urls = {SQLITE: {app: f"sqlite:///{directory / f'{app}.db'}" for app in apps}}
        if args.postgresql:
            urls[POSTGRESQL] = {
                app: stack.enter_context(postgresql_schema(args.postgresql, "bench_path"))
                for app in apps
            }
        hello = partial(harness.serve, "benchmarks.final_app:hello", ready_path="/hello")
        plan: list[tuple[str, Target]] = [(variant(BARE), Target(hello, "/hello", None, {}))]
        for database in databases:
            targets = targets_on(urls[database], args.threads)
            plan += [
                (variant(step, READ, database), target)
                for step, target in zip(STEPS[1:], targets, strict=True)
            ]
        for _, target in plan:
            stack.callback(target.stop)
            target.start()
        for concurrency in args.concurrency:
            # Interleaved by level: a drift in the machine's speed touches all steps alike.
            for read_name, target in plan:
                loads: dict[str, tuple[str, Mapping[str, str] | None]] = {
                    read_name: (target.read_path, None)
                }
                if target.create_path:
                    create_name = read_name.removesuffix(READ) + CREATE
                    loads[create_name] = (target.create_path, TICKET)
                for name, (path, body) in loads.items():
                    load = partial(
                        harness.measure,
                        target.url(path),
                        concurrency=concurrency,
                        duration=args.duration,
                        headers=target.headers,
                        json_body=body,
                    )
                    quiet[name].append(wait_for_quiet(args.quiet_wait))
                    before = snapshot(target.server)
                    runs[name].append(measured(target.server, cpu, name, load))
                    others[name].append(others_between(before, snapshot(target.server)))
                    if max(quiet[name][-1] or 0, others[name][-1] or 0) >= QUIET:
                        print(
                            f"    other processes used {quiet[name][-1]} CPUs before the run,"
                            f" {others[name][-1]} during it",
                            flush=True,
                        )
                    waited = drain(target, limit=args.drain_limit)
                    drained[name].append(waited)
                    exceptions[name].append(target.new_exceptions())
                    if exceptions[name][-1]:
                        print(f"    server log: {exceptions[name][-1]}", flush=True)
                    if waited is None:
                        print(f"    still busy {args.drain_limit:g} s later: restarted", flush=True)
                        target.stop()
                        target.start()
    dicts = harness.runs_as_dicts(runs)
    return {
        "machine": machine,
        "settings": {
            "duration_s": args.duration,
            "levels": args.concurrency,
            "uvicorn_workers": 1,
            "tickets": 1000,
            "databases": databases,
            "lesson_08_threads": args.threads,
            "drain_limit_s": args.drain_limit,
            "quiet_wait_s": args.quiet_wait,
            "steps": [dataclasses.asdict(step) for step in STEPS],
            "total_run_s": round(time.monotonic() - started),
        },
        "runs": dicts,
        "server_cpu_us_per_request": cpu,
        "drain_s": drained,
        "server_exceptions": exceptions,
        "other_processes_cpus_before": quiet,
        "other_processes_cpus": others,
        "ratios": ratios(dicts),
    }


def ratios(runs: Mapping[str, Sequence[Mapping[str, Any]]]) -> dict[str, dict[str, float]]:
    """Each figure over the bare endpoint's at the same concurrency."""
    bare = {r["concurrency"]: r["requests_per_second"] for r in runs[variant(BARE)]}
    return {
        name: {
            str(r["concurrency"]): round(r["requests_per_second"] / bare[r["concurrency"]], 3)
            for r in results
        }
        for name, results in runs.items()
    }


# --- the outputs -----------------------------------------------------------------------------


def step_title(step: Step, results: Mapping[str, Any]) -> str:
    if step.number == SIZED:
        return f"{step.name} to {results['settings']['lesson_08_threads']} threads"
    return step.name


def figure(results: Mapping[str, Any], name: str, level: int) -> dict[str, Any] | None:
    """The saved run of `name` at `level` connections, with all that was saved about it."""
    for index, result in enumerate(results["runs"].get(name, [])):
        if result["concurrency"] == level:
            return {
                **result,
                "ratio": results["ratios"][name][str(level)],
                "cpu_us": results["server_cpu_us_per_request"][name][index],
                "drain_s": results["drain_s"][name][index],
                "exceptions": results["server_exceptions"][name][index],
            }
    return None


def cpu_us(results: Mapping[str, Any], name: str, level: int) -> float:
    """The server's CPU µs per request in the saved run of `name` at `level` connections."""
    result = figure(results, name, level)
    if result is None:
        raise LookupError(f"no saved run of {name} at {level} connections")
    cpu: float = result["cpu_us"]
    return cpu


def clean(result: Mapping[str, Any] | None) -> bool:
    """Answered, with no errors or timeouts, and done when the load stopped."""
    return (
        result is not None
        and result["requests"] > 0
        and not result["errors"]
        and not result["timeouts"]
        and result["drain_s"] is not None
    )


def ratio_cell(result: Mapping[str, Any] | None) -> str:
    if result is None:
        return "—"
    stuck = " (stuck)" if result["drain_s"] is None else ""
    if result["requests"] == 0:
        return "nothing answered" + stuck
    problems = [f"{result[kind]:,} {kind}" for kind in ("errors", "timeouts") if result[kind]]
    return f"{result['ratio']:.3f}x" + "".join(f", {problem}" for problem in problems) + stuck


def cpu_cell(result: Mapping[str, Any] | None) -> str:
    if result is None or result["cpu_us"] is None:
        return "—"
    return f"{result['cpu_us']:,.0f}"


def waterfall_table(results: Mapping[str, Any], database: str) -> str:
    """Rows are the steps; the read's ratio at every level, then CPU and the create at the top."""
    levels = results["settings"]["levels"]
    top = max(levels)
    rows = [
        "| step | "
        + " | ".join(f"GET, {level} conn." for level in levels)
        + f" | CPU µs per GET ({top}) | POST, {top} conn. | CPU µs per POST ({top}) |",
        "| --- |" + " ---: |" * (len(levels) + 3),
    ]
    for step in STEPS:
        read = variant(step, READ, database)
        cells = [ratio_cell(figure(results, read, level)) for level in levels]
        cells.append(cpu_cell(figure(results, read, top)))
        if step is BARE:
            cells += ["—", "—"]
        else:
            create = figure(results, variant(step, CREATE, database), top)
            cells += [ratio_cell(create), cpu_cell(create)]
        rows.append(f"| {step.number}. {step_title(step, results)} | " + " | ".join(cells) + " |")
    return "\n".join(rows) + "\n"


def troubles(results: Mapping[str, Any], database: str) -> str:
    """Every run on `database` that did not simply answer: what wrk and the server's log said."""
    limit = results["settings"]["drain_limit_s"]
    lines = []
    for step in STEPS[1:]:
        for operation in OPERATIONS:
            name = variant(step, operation, database)
            for level in results["settings"]["levels"]:
                result = figure(results, name, level)
                if result is None or (clean(result) and not result["exceptions"]):
                    continue
                said = [ratio_cell(result)]
                if result["drain_s"] is None:
                    said.append(f"still busy {limit:g} s after the load stopped, restarted")
                said += [
                    f"the server logged `{line}` {count} times"
                    for line, count in result["exceptions"].items()
                ]
                # "- 1. ..." would open a numbered list inside the bullet: say "step 1".
                lines.append(
                    f"- step {step.number}, {step_title(step, results)}, {operation} at {level}"
                    f" connections: " + "; ".join(said) + "."
                )
    if not lines:
        return f"No run on {database} had errors, timeouts or exceptions in the server's log.\n"
    return f"Runs on {database} that did not simply answer:\n\n" + "\n".join(lines) + "\n"


def cpu_by_level(
    results: Mapping[str, Any], database: str, first: int, second: int
) -> list[tuple[int, float, float]]:
    """(level, CPU µs per read of `second` minus `first`, `second`'s ratio over `first`'s), at
    each level where both steps answered cleanly."""
    found = []
    for level in results["settings"]["levels"]:
        one = figure(results, variant(STEPS[first], READ, database), level)
        two = figure(results, variant(STEPS[second], READ, database), level)
        if one is not None and two is not None and clean(one) and clean(two):
            found.append((level, two["cpu_us"] - one["cpu_us"], two["ratio"] / one["ratio"]))
    return found


def listed(items: list[str]) -> str:
    return ", ".join(items[:-1]) + " and " + items[-1] if len(items) > 1 else "".join(items)


def connections(levels: list[int]) -> str:
    return f"{listed([str(level) for level in levels])} connections"


def stuck_at_top(results: Mapping[str, Any], database: str) -> str:
    """Which steps did not answer their reads cleanly at the top level, and what they logged."""
    top = max(results["settings"]["levels"])
    failed, logged = [], []
    for step in STEPS[1:]:
        result = figure(results, variant(step, READ, database), top)
        if result is not None and not clean(result):
            failed.append(f"{step_title(step, results)}: {ratio_cell(result)}")
            logged += [line for line in result["exceptions"] if line not in logged]
    if not failed:
        return f"On {database}, every step answered its reads at {top} connections without errors."
    said = f"On {database} at {top} connections, reads failed in " + "; ".join(failed) + "."
    if logged:
        said += " What the servers logged: " + "; ".join(f"`{line}`" for line in logged) + "."
    return said


def sizing(results: Mapping[str, Any], database: str) -> str:
    """What lowering lesson 08's thread limit did: CPU where both answered, and where it stuck."""
    title = step_title(STEPS[SIZED], results)
    lost = []
    for level in results["settings"]["levels"]:
        shipped = figure(results, variant(STEPS[1], READ, database), level)
        sized = figure(results, variant(STEPS[SIZED], READ, database), level)
        if clean(shipped) and not clean(sized):
            lost.append(level)
    found = cpu_by_level(results, database, 1, SIZED)
    said = []
    if found:
        shipped_cpu = {
            level: cpu_us(results, variant(STEPS[1], READ, database), level) for level, *_ in found
        }
        said.append(
            "changes CPU per read by "
            + listed([f"{d / shipped_cpu[level]:+.0%}" for level, d, _ in found])
            + f" at {connections([level for level, *_ in found])}"
        )
    if lost:
        said.append(f"stops answering at {connections(lost)}, where lesson 08 as shipped answers")
    return f"{title[0].upper()}{title[1:]}, " + (" and ".join(said) or "was not measured") + "."


def lesson_08_to_09(results: Mapping[str, Any], database: str) -> str:
    found = cpu_by_level(results, database, 1, 3)
    if not found:
        return "Lesson 08 as shipped and lesson 09 never both answered cleanly at one level."
    shipped = {
        level: cpu_us(results, variant(STEPS[1], READ, database), level) for level, *_ in found
    }
    cpu = [f"{d / shipped[level]:+.0%}" for level, d, _ in found]
    return (
        f"Against lesson 08 as shipped, lesson 09 reads with {listed(cpu)} CPU per request and"
        f" {listed([f'{ratio:.1f}' for *_, ratio in found])} times the requests/s"
        f" at {connections([level for level, *_ in found])}."
    )


def cpu_difference(
    results: Mapping[str, Any], database: str, without: int, with_: int, what: str, less: str
) -> str:
    """What step `with_` adds to step `without` in CPU per read, level by level, and whether
    one run can tell: a difference whose sign changes from level to level is within its noise."""
    found = cpu_by_level(results, database, without, with_)
    if not found:
        return f"{what} was not measured cleanly at any level."
    differences = [difference for _, difference, _ in found]
    at = (
        listed([f"{difference:+,.0f}" for difference in differences])
        + f" µs at {connections([level for level, *_ in found])}"
    )
    if all(difference > 0 for difference in differences):
        return (
            f"{what} costs {min(differences):,.0f} to {max(differences):,.0f} µs per read ({at})."
        )
    if all(difference < 0 for difference in differences):
        return f"{less} {-max(differences):,.0f} to {-min(differences):,.0f} µs per read ({at})."
    return f"{what} is below what one run can tell apart: {at}, one way and the other."


def database_verdict(results: Mapping[str, Any], database: str) -> str:
    return " ".join(
        [
            stuck_at_top(results, database),
            sizing(results, database),
            lesson_08_to_09(results, database),
            cpu_difference(
                results,
                database,
                4,
                3,
                "The account check in the same trip",
                "With the account check, lesson 09 read with less CPU than without it, by",
            ),
            cpu_difference(
                results,
                database,
                3,
                5,
                "What the final app adds for production",
                "The final app read with less CPU than lesson 09, its additions included, by",
            ),
        ]
    )


def verdict(results: Mapping[str, Any]) -> str:
    """One paragraph, both databases, every figure in it read from the results."""
    return " ".join(
        database_verdict(results, database) for database in results["settings"]["databases"]
    )


def table_text(results: Mapping[str, Any]) -> str:
    """The page's figures: a waterfall per database, the verdict, every run, the machine."""
    machine = results["machine"]
    settings = results["settings"]
    sections = []
    for database in (SQLITE, POSTGRESQL):
        if database in settings["databases"]:
            sections.append(
                f"**{database}**\n\n"
                + waterfall_table(results, database)
                + "\n"
                + troubles(results, database)
            )
        else:
            sections.append(f"**{database}**: not measured in this run.\n")
    every_run = harness.markdown_table(harness.runs_from_dicts(results["runs"]))
    return (
        "Requests/s as a ratio to bare FastAPI measured in the same run (1.000x) and the server's"
        " CPU time per request answered; one uvicorn worker per step,"
        f" {settings['duration_s']:g} s per run.\n\n"
        + "\n".join(sections)
        + "\n"
        + verdict(results)
        + '\n\n??? note "Every run: requests per second, latency, errors"\n\n    '
        + every_run.replace("\n", "\n    ").rstrip()
        + f"\n\nMeasured {machine['date']} on {machine['cpu_count']} CPUs"
        f" ({machine['cpu_model']}), Python {machine['python']}, load generator:"
        f" {machine['load_generator']}, load average before the run:"
        f" {machine['load_average_1min']}; the run took {settings['total_run_s'] / 60:.0f} min."
        + other_work(results)
        + "\n"
    )


def other_work(results: Mapping[str, Any]) -> str:
    """What the rest of the machine did during the runs (it is shared): a sentence, or ""."""
    during = [
        (cpus, name, result["concurrency"])
        for name, values in results["other_processes_cpus"].items()
        for cpus, result in zip(values, results["runs"][name], strict=True)
        if cpus is not None
    ]
    if not during:
        return ""
    cpus = sorted(value for value, _, _ in during)
    most, name, level = max(during)
    return (
        f" Other processes kept {statistics.median(cpus):.2f} of the"
        f" {results['machine']['cpu_count']} CPUs busy during a run (median),"
        f" {most:.2f} at most ({name}, {level} connections)."
    )


def plot(results: Mapping[str, Any], path: Path) -> None:
    """A bar chart per database: each step's ratio at the top level, GET and POST."""
    import matplotlib  # imported here: only the benchmark session installs it

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    databases = results["settings"]["databases"]
    top = max(results["settings"]["levels"])
    steps = STEPS[1:]
    figure_, panels = plt.subplots(
        1,
        len(databases),
        figsize=(2.5 + 4 * len(databases), 4.5),
        layout="constrained",
        squeeze=False,
        sharex=True,  # the same scale for both databases
        sharey=True,
    )
    for axes, database in zip(panels[0], databases, strict=True):
        positions = range(len(steps))
        for offset, operation, colour in ((-0.2, READ, "tab:blue"), (0.2, CREATE, "tab:orange")):
            found = [figure(results, variant(step, operation, database), top) for step in steps]
            bars = axes.barh(
                [position + offset for position in positions],
                [result["ratio"] if result else 0.0 for result in found],
                height=0.4,
                color=colour,
                label=operation,
            )
            labels = [
                "—"
                if result is None
                else "nothing answered"
                if result["requests"] == 0
                else f"{result['ratio']:.3f}" + ("" if clean(result) else " ✗")
                for result in found
            ]
            axes.bar_label(bars, labels=labels, padding=3, fontsize=8)
        titles = [f"{step.number}. {step_title(step, results)}" for step in steps]
        axes.set_yticks(list(positions), titles)
        if axes is panels[0][0]:
            axes.invert_yaxis()  # step 1 on top, as in the table (the panels share the axis)
        axes.set(title=database, xlabel=f"requests/s ÷ bare FastAPI's, {top} connections")
        axes.grid(True, axis="x", alpha=0.3)
        axes.legend(loc="upper right", frameon=False)  # steps 1 and 2 leave that corner empty
    steps_at_top = [figure(results, name, top) for name in results["runs"] if name != variant(BARE)]
    largest = max((result["ratio"] for result in steps_at_top if result), default=0.0)
    panels[0][0].set_xlim(0, max(0.25, largest * 1.3))  # room for the labels
    machine = results["machine"]
    figure_.suptitle(
        f"Lesson 08 to the final app, one uvicorn worker each ({machine['cpu_count']} CPUs,"
        f" {machine['date']}; ✗ errors or timeouts)"
    )
    path.parent.mkdir(parents=True, exist_ok=True)
    figure_.savefig(path, dpi=110)
    plt.close(figure_)


def write_outputs(results: Mapping[str, Any], output: Path) -> None:
    plot(results, output / f"{NAME}.png")
    (output / f"{NAME}.table.txt").write_text(table_text(results))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--concurrency", type=int, nargs="+", default=[10, 50, 200])
    parser.add_argument("--duration", type=float, default=4.0, help="seconds per run")
    parser.add_argument(
        "--threads",
        type=int,
        default=DEFAULT_THREADS,
        help=f"step 2's thread limiter (default {DEFAULT_THREADS})",
    )
    parser.add_argument(
        "--drain-limit",
        type=float,
        default=35.0,
        help="seconds a server may take to finish a run's requests before it is restarted"
        " (default 35: past lesson 08's pool timeout, 30 s, so its log says what they waited on)",
    )
    parser.add_argument(
        "--quiet-wait",
        type=float,
        default=30.0,
        help="seconds to wait before each run for other processes to leave the CPUs alone",
    )
    parser.add_argument("--replot", action="store_true", help="redraw from the saved JSON")
    parser.add_argument("--output", type=Path, default=OUTPUT, help="where results go")
    parser.add_argument(
        "--postgresql",
        default=os.environ.get("TEST_DATABASE_URL", ""),
        help="a PostgreSQL server URL to measure on too, in schemas of their own"
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
