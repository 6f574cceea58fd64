"""Lesson 11's benchmark: one process, two workers, and replicas behind nginx, on one machine.

Four ways to run the final app's image, all on the same PostgreSQL (compose.yaml's, in a
container), measured in the same run with the same load (wrk), on the authenticated read of
one ticket (`GET /api/v1/tickets/{id}`, a bearer token, the account checked) and on the create
(`POST /api/v1/tickets`):

1. `1 container, 1 worker`: the image's own command (`uvicorn final_app.main:app`, one
   process), its port published: the baseline every other figure is divided by, at the same
   concurrency;
2. `1 container, --workers 2`: the same image, `uvicorn ... --workers 2`: two worker processes
   accepting from one socket;
3. `nginx + 1 container`: the container of 1 behind compose's nginx, configured as
   deploy/nginx/repairdesk.conf ships it (a fresh upstream connection per request), its
   upstream narrowed to that one container: next to 1, what the proxy alone costs;
4. `nginx + 2 containers`: compose.yaml's topology as it ships, two replicas behind nginx:
   next to 3, what a second replica adds.

All four run in the image, so they share one Python and one set of packages: this machine's
Python may be built otherwise (pyenv, for one, builds without PGO and LTO by default), which
alone changes the CPU a request takes and would pass for a difference between processes and
containers. The containers are started the way lesson 11's tests start them
(tests/support/topology.py): PostgreSQL, the migration, the replicas, the proxy, step by step,
from compose.yaml's own settings; the two published containers are compose's `app` service
under other names. The JSON records the image's versions, and whether its uvicorn sets
TCP_NODELAY on the connections of `--workers` (before 0.55 it did not: see
`about_the_image()`).

What two CPUs can show, and what they cannot. A second process only gets the CPU time the
first leaves idle, and here PostgreSQL, nginx and wrk run on the same two cores as the app.
One process runs its Python code on one core at a time (the GIL), so it leaves some of the
other idle: a second worker or replica can use that, and only that. Once both cores are busy
a third process would add nothing, so this machine cannot show replicas scaling: that takes
more cores (or machines) than the stack needs, the load generator on one of its own. What
it shows is what a second process and a proxy cost: the CPU per request of the whole stack
(app, nginx and PostgreSQL together), p99 latency, where the two cores went during each run
(the stack, wrk, the rest of the machine), and that nothing errors.

Each point is the median of `--repeat` runs (by requests/s, its latency and CPU figures with
it); every run is saved, and a run with errors counts wherever it falls. The machine may be
shared: before each run the script waits (up to `--quiet-wait` seconds) for other processes
to leave the CPUs alone, and records how many they used during the run. After each run it
waits until the stack has finished what wrk left in it.

Results go to docs/benchmarks/scale.{json,png,table.txt}; lesson 11's page includes them. It
needs a container engine (tests/container/engine.py: Docker, or what CONTAINER_ENGINE names)
and wrk.

    python -m benchmarks.scale                      # or: nox -s bench-scale
    python -m benchmarks.scale --duration 3 --concurrency 50 200 --output /tmp/scale
    python -m benchmarks.scale --replot             # redraw from the saved JSON
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import os
import signal
import statistics
import sys
import tempfile
import time
from collections import defaultdict
from collections.abc import Callable, Collection, Iterator, Mapping, Sequence
from contextlib import ExitStack, contextmanager
from functools import partial
from pathlib import Path
from typing import Any

from sqlalchemy import make_url

from benchmarks import harness
from benchmarks.final_app import SECRET_KEY, TICKET, prepare
from benchmarks.request_path import machine_busy_seconds, own_seconds
from tests.container.engine import Engine
from tests.support.topology import Topology, build_image, running_topology

OUTPUT = harness.ROOT / "docs" / "benchmarks"
NAME = "scale"
TICKET_ID = 500
READ, CREATE = "GET", "POST"
OPERATIONS = {READ: f"/api/v1/tickets/{TICKET_ID}", CREATE: "/api/v1/tickets"}
QUIET = 0.25  # CPUs other processes may use before a run starts
IDLE = 0.05  # CPUs the stack may still use once it has finished a run's requests
NGINX_CONF = harness.ROOT / "deploy" / "nginx" / "repairdesk.conf"
NGINX_UPSTREAM = "server app:8000"  # the line of NGINX_CONF that names the replicas
SINGLE = "single"  # compose's `app` service, renamed: the published one-worker container


@dataclasses.dataclass(frozen=True)
class Setup:
    name: str
    description: str
    processes: int  # app processes serving requests


ONE_WORKER = Setup("1 container, 1 worker", "the image's command, its port published", 1)
TWO_WORKERS = Setup("1 container, --workers 2", "the same image, uvicorn --workers 2", 2)
PROXIED = Setup("nginx + 1 container", "the first container behind compose's nginx", 1)
REPLICAS = Setup("nginx + 2 containers", "compose.yaml's topology as it ships", 2)
SETUPS = (ONE_WORKER, TWO_WORKERS, PROXIED, REPLICAS)
BASELINE = ONE_WORKER


def variant(setup: Setup, operation: str) -> str:
    """The name a run is saved under: "nginx + 2 containers, GET"."""
    return f"{setup.name}, {operation}"


# --- where the CPU went -------------------------------------------------------------------------


def processes() -> dict[int, tuple[int, float]]:
    """Every process on this machine (Linux /proc): pid -> (parent's pid, CPU seconds so far).

    Containers' processes are in the list too: a container is processes with a view of their
    own, not a machine of its own.
    """
    found = {}
    tick = os.sysconf("SC_CLK_TCK")
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except (OSError, IndexError):
            continue  # it ended meanwhile
        found[int(stat.parent.name)] = (int(fields[1]), (int(fields[11]) + int(fields[12])) / tick)
    return found


def stack_seconds(roots: Collection[int]) -> float:
    """CPU seconds used so far by the live processes descended from `roots` (this one excluded).

    The roots are this script (its servers are its children, `--workers 2`'s workers their
    children) and each container's first process, whose descendants are the rest of the
    container's: uvicorn, nginx's workers, PostgreSQL's backends.
    """
    table = processes()
    children: dict[int, list[int]] = defaultdict(list)
    for pid, (parent, _) in table.items():
        children[parent].append(pid)
    seen: set[int] = set()
    pending = [root for root in roots if root in table]
    while pending:
        pid = pending.pop()
        if pid not in seen:
            seen.add(pid)
            pending += children[pid]
    seen.discard(os.getpid())  # counted by own_seconds(), with the wrk runs it waited for
    return sum(table[pid][1] for pid in seen)


@dataclasses.dataclass(frozen=True)
class Snapshot:
    at: float
    machine: float | None  # every process's CPU seconds, all CPUs together
    stack: float  # the app processes, nginx, PostgreSQL
    own: float  # this script and the wrk runs it has waited for

    @classmethod
    def take(cls, roots: Collection[int]) -> Snapshot:
        return cls(time.monotonic(), machine_busy_seconds(), stack_seconds(roots), own_seconds())


@dataclasses.dataclass(frozen=True)
class Usage:
    """How many CPUs each part kept busy between two snapshots, on average."""

    stack: float
    load_generator: float
    others: float | None  # other processes, and the kernel's work no process is charged for

    @classmethod
    def between(cls, before: Snapshot, after: Snapshot) -> Usage:
        seconds = after.at - before.at
        stack, own = after.stack - before.stack, after.own - before.own
        others = None
        if before.machine is not None and after.machine is not None:
            others = round(max(0.0, after.machine - before.machine - stack - own) / seconds, 2)
        return cls(round(stack / seconds, 2), round(own / seconds, 2), others)


def wait_for_quiet(roots: Collection[int], limit: float) -> float | None:
    """Wait up to `limit` s for other processes to use under QUIET CPUs for a second.

    The stack is idle here, so what is busy is somebody else's. The CPUs they used last.
    """
    deadline = time.monotonic() + limit
    while True:
        before = Snapshot.take(roots)
        time.sleep(1.0)
        others = Usage.between(before, Snapshot.take(roots)).others
        if others is None or others < QUIET or time.monotonic() > deadline:
            return others


def settle(roots: Collection[int], limit: float = 30.0, quiet: float = 0.3) -> float | None:
    """Wait until the stack has finished what the last run left in it; the seconds it took.

    When wrk stops, its last requests are still being served: left there, they would run
    during the next measurement. None: still busy after `limit` seconds.
    """
    started = time.monotonic()
    while time.monotonic() - started < limit:
        before = Snapshot.take(roots)
        time.sleep(quiet)
        if Usage.between(before, Snapshot.take(roots)).stack < IDLE:
            return round(time.monotonic() - started, 1)
    return None


# --- the five setups ----------------------------------------------------------------------------


@contextmanager
def benchmark_topology(engine: Engine, image: str) -> Iterator[Topology]:
    """compose.yaml's topology, signing tokens with the benchmark's key (prepare() signs them)."""
    with running_topology(engine, image, {"REPAIRDESK_SECRET_KEY": SECRET_KEY}) as topology:
        yield topology


def database_url_from_here(topology: Topology) -> str:
    """The app's database URL, reached from this machine: the container's address for `db`."""
    url = make_url(topology.services["app"].environment["REPAIRDESK_DATABASE_URL"])
    return url.set(host=topology.address(topology.db)).render_as_string(hide_password=False)


def start_published(topology: Topology, name: str, workers: int) -> str:
    """One more container of compose's `app` service, under `name`, published on loopback.

    Renamed, so that the replicas' nginx (which proxies to `app`) never sees it. Its URL, once
    every one of its `workers` has started.
    """
    port = harness.free_port()
    command = ["uvicorn", "final_app.main:app", "--workers", str(workers)] if workers > 1 else None
    service = dataclasses.replace(
        topology.services["app"],
        name=name,
        command=command,  # None: the image's own command
        ports=[f"127.0.0.1:{port}:8000"],
    )
    container = topology.run_service(service)
    topology.wait_for_health_check(container, topology.image_health_check())
    # The health check passes once ONE worker answers: wait for every one of them.
    deadline = time.monotonic() + 60
    while topology.engine.logs(container).count("Application startup complete") < workers:
        if time.monotonic() > deadline:
            raise RuntimeError(f"{container}: {workers} workers never started")
        time.sleep(0.2)
    return f"http://127.0.0.1:{port}"


def start_proxy_for_single(topology: Topology, directory: Path) -> str:
    """A second nginx, as compose's but with its upstream narrowed to the SINGLE container.

    It reads the shipped configuration with that one line changed (the copy is kept in
    `directory`), and is published on loopback. Its URL, once the app answers through it.
    """
    shipped = NGINX_CONF.read_text()
    if shipped.count(NGINX_UPSTREAM) != 1:
        raise RuntimeError(f"{NGINX_CONF} no longer names its upstream as `{NGINX_UPSTREAM}`")
    conf = directory / f"{SINGLE}.conf"
    conf.write_text(shipped.replace(NGINX_UPSTREAM, f"server {SINGLE}:8000"))
    port = harness.free_port()
    proxy = dataclasses.replace(
        topology.services["proxy"],
        name=f"proxy-{SINGLE}",
        volumes=[f"{conf}:/etc/nginx/conf.d/default.conf:ro"],
        ports=[f"127.0.0.1:{port}:80"],
    )
    topology.run_service(proxy)
    deadline = time.monotonic() + 60
    while harness.probe("127.0.0.1", port, "/health/ready", timeout=1.0) != 200:
        if time.monotonic() > deadline:
            raise RuntimeError(f"nginx for {SINGLE} never answered /health/ready with 200")
        time.sleep(0.2)
    return f"http://127.0.0.1:{port}"


def container_processes(topology: Topology) -> list[int]:
    """The pid, on this machine, of each running container's first process."""
    pids = []
    for name in topology.containers:
        pid = topology.engine("inspect", "--format", "{{.State.Pid}}", name, check=False)
        if pid.strip().isdigit() and int(pid) > 0:
            pids.append(int(pid))
    return pids


def about_the_image(engine: Engine, image: str) -> dict[str, Any]:
    """Python's and the packages' versions inside the image (they need not be this machine's),
    and whether the socket uvicorn binds for `--workers` is one asyncio sets TCP_NODELAY on.

    asyncio turns Nagle's algorithm off only on connections accepted from a socket that says
    it is TCP (`proto == IPPROTO_TCP`). uvicorn lets asyncio bind the socket of a single
    process (it does say so), but binds the socket of `--workers` itself; before 0.55 it left
    `proto` at 0, and each keep-alive response then waited for the client's delayed ACK.
    """
    code = (
        "import json, platform, socket\n"
        "from importlib import metadata\n"
        "from uvicorn.config import Config\n"
        "names = ('fastapi', 'starlette', 'uvicorn', 'sqlalchemy', 'pydantic', 'psycopg')\n"
        "bound = Config('final_app.main:app', host='127.0.0.1', port=0, workers=2).bind_socket()\n"
        "print(json.dumps({'python': platform.python_version(),"
        " **{name: metadata.version(name) for name in names},"
        " 'workers_tcp_nodelay': bound.proto == socket.IPPROTO_TCP}))"
    )
    found: dict[str, Any] = json.loads(
        engine("run", "--rm", *engine.run_flags, image, "python", "-c", code)
    )
    return found


# --- the run ------------------------------------------------------------------------------------


def run(args: argparse.Namespace) -> dict[str, Any]:
    engine = Engine.from_environment()
    if reason := engine.unavailable_reason():
        sys.exit(f"No container engine ({reason}): start Docker, or set CONTAINER_ENGINE.")
    if not harness.wrk_available():
        sys.exit("wrk is not installed: `sudo apt-get install wrk` (Debian/Ubuntu).")
    machine = harness.machine_info(packages=())  # the packages that count are the image's
    names = [variant(setup, operation) for setup in SETUPS for operation in OPERATIONS]
    runs: dict[str, list[harness.LoadResult]] = {name: [] for name in names}
    figures: dict[str, dict[str, list[float | None]]] = {
        key: {name: [] for name in names}
        for key in ("stack_cpu_us_per_request", "stack_cpus", "load_generator_cpus",
                    "other_processes_cpus", "other_processes_cpus_before", "settle_s")
    }  # fmt: skip
    repeats: dict[str, list[list[dict[str, Any]]]] = {name: [] for name in names}
    started = time.monotonic()
    image = build_image(engine)
    with ExitStack() as stack:
        topology = stack.enter_context(benchmark_topology(engine, image))
        # A technician and 1000 tickets, and the technician's token (signed with SECRET_KEY).
        headers = prepare(database_url_from_here(topology))
        directory = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="bench-scale-")))
        base_urls = {
            ONE_WORKER: start_published(topology, SINGLE, workers=1),
            TWO_WORKERS: start_published(topology, "workers", workers=2),
            PROXIED: start_proxy_for_single(topology, directory),
            REPLICAS: topology.proxy_url,
        }
        roots = container_processes(topology)

        # Imports, pools and caches, before anything counts.
        for base_url in base_urls.values():
            for operation, path in OPERATIONS.items():
                harness.measure(
                    base_url + path,
                    concurrency=10,
                    duration=2,
                    headers=headers,
                    json_body=TICKET if operation == CREATE else None,
                )
        settle(roots)

        for concurrency in args.concurrency:
            # Interleaved by level: a drift in the machine's speed touches every setup alike.
            for setup in SETUPS:
                for operation, path in OPERATIONS.items():
                    name = variant(setup, operation)
                    load = partial(
                        harness.measure,
                        base_urls[setup] + path,
                        concurrency=concurrency,
                        duration=args.duration,
                        headers=headers,
                        json_body=TICKET if operation == CREATE else None,
                    )
                    tries = [
                        measure_once(name, load, roots, args.quiet_wait) for _ in range(args.repeat)
                    ]
                    # The median run stands for the point; every try's outcome is kept.
                    median = harness.median_run([one.result for one in tries])
                    chosen = next(one for one in tries if one.result is median)
                    runs[name].append(chosen.result)
                    chosen.keep(figures, name)
                    repeats[name].append([dataclasses.asdict(one.result) for one in tries])
        postgresql = topology.psql("SHOW server_version")[0][0].split()[0]
        database = f"PostgreSQL {postgresql} (image {topology.services['db'].image} here)"
    dicts = harness.runs_as_dicts(runs)
    return {
        "machine": machine,
        "settings": {
            "duration_s": args.duration,
            "levels": args.concurrency,
            "setups": [dataclasses.asdict(setup) for setup in SETUPS],
            "baseline": BASELINE.name,
            "operations": OPERATIONS,
            "database": f"{database}, in a container on the same machine",
            "tickets": 1000,
            "quiet_wait_s": args.quiet_wait,
            "repeat": args.repeat,
            "image": about_the_image(engine, image),
            "total_run_s": round(time.monotonic() - started),
        },
        "runs": dicts,
        "repeats": repeats,  # every try of every point, the median one among them
        **figures,
        "ratios": ratios(dicts),
    }


@dataclasses.dataclass(frozen=True)
class Measured:
    """One load run and what the CPUs did meanwhile."""

    result: harness.LoadResult
    others_before: float | None  # CPUs other processes used just before it started
    usage: Usage
    stack_cpu_us_per_request: float | None
    settle_s: float | None

    def keep(self, figures: dict[str, dict[str, list[float | None]]], name: str) -> None:
        """Add this run's figures to the lists saved beside the runs."""
        figures["stack_cpu_us_per_request"][name].append(self.stack_cpu_us_per_request)
        figures["stack_cpus"][name].append(self.usage.stack)
        figures["load_generator_cpus"][name].append(self.usage.load_generator)
        figures["other_processes_cpus"][name].append(self.usage.others)
        figures["other_processes_cpus_before"][name].append(self.others_before)
        figures["settle_s"][name].append(self.settle_s)


def measure_once(
    name: str, load: Callable[[], harness.LoadResult], roots: Collection[int], quiet_wait: float
) -> Measured:
    """Wait for a quiet machine, run `load`, then wait until the stack has settled."""
    others_before = wait_for_quiet(roots, quiet_wait)
    before = Snapshot.take(roots)
    result = load()
    after = Snapshot.take(roots)
    usage = Usage.between(before, after)
    per_request = None
    if result.requests:
        per_request = round((after.stack - before.stack) / result.requests * 1e6, 1)
    print(
        f"{name:<32} c={result.concurrency:<4} {result.requests_per_second:>7.1f} req/s"
        f"  p99 {result.p99_ms} ms  errors {result.errors}  timeouts {result.timeouts}"
        f"  stack {per_request} us/request; CPUs: stack {usage.stack}, wrk"
        f" {usage.load_generator}, others {usage.others}",
        flush=True,
    )
    return Measured(result, others_before, usage, per_request, settle(roots))


def ratios(runs: Mapping[str, Sequence[Mapping[str, Any]]]) -> dict[str, dict[str, float]]:
    """Each run's requests/s over the baseline's, same operation, same concurrency."""
    found = {}
    for operation in OPERATIONS:
        baseline = {
            r["concurrency"]: r["requests_per_second"] for r in runs[variant(BASELINE, operation)]
        }
        for setup in SETUPS:
            name = variant(setup, operation)
            found[name] = {
                str(r["concurrency"]): round(
                    r["requests_per_second"] / baseline[r["concurrency"]], 3
                )
                for r in runs[name]
            }
    return found


# --- the outputs --------------------------------------------------------------------------------


def figure(results: Mapping[str, Any], name: str, level: int) -> dict[str, Any] | None:
    """The saved run of `name` at `level` connections, with all that was saved about it."""
    for index, result in enumerate(results["runs"].get(name, [])):
        if result["concurrency"] == level:
            return {
                **result,
                "ratio": results["ratios"][name][str(level)],
                "cpu_us": results["stack_cpu_us_per_request"][name][index],
                "stack_cpus": results["stack_cpus"][name][index],
                "load_generator_cpus": results["load_generator_cpus"][name][index],
                "others_cpus": results["other_processes_cpus"][name][index],
            }
    return None


def clean(result: Mapping[str, Any] | None) -> bool:
    """Answered, with no errors and no timeouts."""
    return (
        result is not None
        and result["requests"] > 0
        and result["errors"] == 0
        and result["timeouts"] == 0
    )


def cell(result: Mapping[str, Any] | None) -> str:
    """A table cell: "612/s, 1.000x", and what went wrong if anything did."""
    if result is None:
        return "—"
    if result["requests"] == 0:
        return "nothing answered"
    text = f"{result['requests_per_second']:,.0f}/s, {result['ratio']:.3f}x"
    problems = [f"{result[kind]:,} {kind}" for kind in ("errors", "timeouts") if result[kind]]
    return text + "".join(f", {problem}" for problem in problems)


def operation_table(results: Mapping[str, Any], operation: str) -> str:
    """Rows are the setups: requests/s and ratio at every level, then p99, CPU and cores at
    the top level."""
    levels = results["settings"]["levels"]
    top = max(levels)
    rows = [
        "| setup | "
        + " | ".join(f"{level} conn." for level in levels)
        + f" | p99 ({top}) | stack CPU per request ({top}) | CPUs: stack / wrk / rest ({top}) |",
        "| --- |" + " ---: |" * (len(levels) + 3),
    ]
    for setup in SETUPS:
        name = variant(setup, operation)
        cells = [cell(figure(results, name, level)) for level in levels]
        at_top = figure(results, name, top)
        if at_top is None:
            cells += ["—", "—", "—"]
        else:
            cells.append("—" if at_top["p99_ms"] is None else f"{at_top['p99_ms']:,.0f} ms")
            cells.append("—" if at_top["cpu_us"] is None else f"{at_top['cpu_us']:,.0f} µs")
            others = "?" if at_top["others_cpus"] is None else f"{at_top['others_cpus']:.2f}"
            cells.append(
                f"{at_top['stack_cpus']:.2f} / {at_top['load_generator_cpus']:.2f} / {others}"
            )
        rows.append(f"| {setup.name} | " + " | ".join(cells) + " |")
    return "\n".join(rows) + "\n"


def span(values: Sequence[float], form: str = "{:.2f}") -> str:
    """A range: "0.95 to 1.10", or one value when both ends look the same."""
    low, high = form.format(min(values)), form.format(max(values))
    return low if low == high else f"{low} to {high}"


def errors_said(results: Mapping[str, Any]) -> str:
    """Whether every run answered every request: the medians kept, and every other try too."""
    points = sum(len(values) for values in results["runs"].values())
    tries = [
        (name, run)
        for name, per_level in results["repeats"].items()
        for point in per_level
        for run in point
    ]
    counted = (
        f"{len(tries)} runs ({points} points, {results['settings']['repeat']} runs each,"
        " the median kept)"
    )
    failed = [(name, run) for name, run in tries if not clean(run)]
    if not failed:
        return f"All {counted} answered every request: 0 errors, 0 timeouts."
    return (
        f"{len(failed)} of {counted} did not answer cleanly: "
        + "; ".join(
            f"{name} at {run['concurrency']} connections ({run['errors']} errors,"
            f" {run['timeouts']} timeouts, {run['requests']} answered)"
            for name, run in failed
        )
        + "."
    )


def spread_said(results: Mapping[str, Any]) -> str:
    """How far apart the runs of one point were: what a difference must exceed to count."""
    spreads = []
    for per_level in results["repeats"].values():
        for point in per_level:
            speeds = [run["requests_per_second"] for run in point]
            if len(speeds) > 1 and min(speeds) > 0:
                spreads.append((max(speeds) - min(speeds)) / statistics.median(speeds))
    if not spreads:
        return ""
    return (
        f"The {results['settings']['repeat']} runs of one point differed in requests/s by"
        f" {statistics.median(spreads):.0%} (median over the points), {max(spreads):.0%} at"
        " most: ratios that close to 1, and CPU differences that small, are not ones this run"
        " can tell apart."
    )


def times_over(
    results: Mapping[str, Any], operation: str, setup: Setup, other: Setup
) -> list[float]:
    """`setup`'s requests/s over `other`'s, at each level where both answered cleanly."""
    found = []
    for level in results["settings"]["levels"]:
        one = figure(results, variant(setup, operation), level)
        two = figure(results, variant(other, operation), level)
        if one is not None and two is not None and clean(one) and clean(two):
            found.append(one["requests_per_second"] / two["requests_per_second"])
    return found


def times_said(results: Mapping[str, Any], operation: str, setup: Setup, other: Setup) -> str:
    found = times_over(results, operation, setup, other)
    return f"{span(found)} times" if found else "(not measured cleanly)"


def cpu_at_top(results: Mapping[str, Any], operation: str, setup: Setup) -> float | None:
    found = figure(results, variant(setup, operation), max(results["settings"]["levels"]))
    return None if found is None else found["cpu_us"]


def cpu_said(results: Mapping[str, Any], operation: str, setup: Setup, other: Setup) -> str:
    """The stack CPU per request `setup` adds to `other`'s at the top level: "+120 µs"."""
    one, two = cpu_at_top(results, operation, setup), cpu_at_top(results, operation, other)
    return "?" if one is None or two is None else f"{one - two:+,.0f} µs"


def operation_verdict(results: Mapping[str, Any], operation: str, what: str) -> str:
    """Each setup against the one it changes one thing of, in requests/s and CPU per request."""
    levels = results["settings"]["levels"]
    baseline_cpu = cpu_at_top(results, operation, BASELINE)
    return (
        f"{what} ({operation}) at {connections(levels)}: a second worker in the container"
        f" serves {times_said(results, operation, TWO_WORKERS, ONE_WORKER)} the requests/s of"
        f" one; nginx in front of the one container"
        f" {times_said(results, operation, PROXIED, ONE_WORKER)} what it serves alone, and a"
        f" second replica behind nginx {times_said(results, operation, REPLICAS, PROXIED)} what"
        f" one behind it does (two replicas behind nginx against one container alone:"
        f" {times_said(results, operation, REPLICAS, ONE_WORKER)}). The stack's CPU per request"
        f" at {max(levels)} connections is"
        + ("?" if baseline_cpu is None else f" {baseline_cpu:,.0f} µs")
        + " with one worker; a second worker changes it by"
        f" {cpu_said(results, operation, TWO_WORKERS, ONE_WORKER)}, nginx by"
        f" {cpu_said(results, operation, PROXIED, ONE_WORKER)}, a second replica behind nginx by"
        f" {cpu_said(results, operation, REPLICAS, PROXIED)}."
    )


def connections(levels: Sequence[int]) -> str:
    names = [str(level) for level in levels]
    listed = ", ".join(names[:-1]) + " and " + names[-1] if len(names) > 1 else names[0]
    return f"{listed} connections"


def nagle_verdict(results: Mapping[str, Any]) -> str:
    """When the image's uvicorn leaves Nagle's algorithm on under --workers: what it cost."""
    image = results["settings"]["image"]
    low = min(results["settings"]["levels"])
    one = figure(results, variant(ONE_WORKER, READ), low)
    two = figure(results, variant(TWO_WORKERS, READ), low)
    if image.get("workers_tcp_nodelay", True) or one is None or two is None:
        return ""
    return (
        f"The image's uvicorn {image['uvicorn']} binds the socket of --workers without saying it"
        " is TCP, so asyncio never turns TCP_NODELAY on for its connections: each keep-alive"
        " response waits for the client's delayed ACK. The reads' median latency at"
        f" {low} connections shows it: {two['p50_ms']:,.1f} ms with two workers against"
        f" {one['p50_ms']:,.1f} ms with one. uvicorn 0.55 binds that socket as TCP; one process"
        " per container, the image's own command, never had the problem."
    )


def beyond_double(results: Mapping[str, Any]) -> str:
    """Where two processes served more than twice one's requests/s: what the runs say of it."""
    said = []
    for operation in OPERATIONS:
        for level in results["settings"]["levels"]:
            one = figure(results, variant(BASELINE, operation), level)
            over = [
                (setup, found)
                for setup in (TWO_WORKERS, REPLICAS)
                if (found := figure(results, variant(setup, operation), level)) is not None
                and found["ratio"] > 2
            ]
            if one is None or not over:
                continue
            index = results["settings"]["levels"].index(level)
            tries = [
                run["requests_per_second"]
                for run in results["repeats"][variant(BASELINE, operation)][index]
            ]
            said.append(
                f"{operation} at {level} connections ("
                + "; ".join(f"{setup.name}: {found['ratio']:.2f}x" for setup, found in over)
                + f"): one worker's {len(tries)} runs served {span(tries, '{:,.0f}')} requests/s"
                f" with {one['cpu_us']:,.0f} µs of stack CPU per request, against "
                + ", ".join(f"{found['cpu_us']:,.0f} µs" for _, found in over)
            )
    if not said:
        return ""
    return (
        "More than twice one process's requests/s: "
        + "; ".join(said)
        + ". Either the single process's runs were slowed by this run's noise, or one process"
        " spends more CPU per request with every connection on one event loop; one run cannot"
        " tell which."
    )


def cores_verdict(results: Mapping[str, Any]) -> str:
    """Where the CPUs went during the reads at the top level, setup by setup."""
    top = max(results["settings"]["levels"])
    found = {setup: figure(results, variant(setup, READ), top) for setup in SETUPS}
    busy, rest = {}, []
    for setup, result in found.items():
        if result is None:
            return ""
        busy[setup] = f"{result['stack_cpus'] + result['load_generator_cpus']:.2f}"
        rest.append("?" if result["others_cpus"] is None else f"{result['others_cpus']:.2f}")
    return (
        f"During the reads at {top} connections, one worker kept {busy[ONE_WORKER]} of the"
        f" {results['machine']['cpu_count']} CPUs busy (itself, PostgreSQL and wrk): one Python"
        " process runs its Python code on one core at a time (the GIL), so it leaves the rest"
        f" idle. A second worker used what was left ({busy[TWO_WORKERS]} busy), as did a second"
        f" replica behind nginx ({busy[REPLICAS]}, against {busy[PROXIED]} with one). The rest"
        f" of the machine took {', '.join(rest)} CPUs during those four runs."
    )


def verdict(results: Mapping[str, Any]) -> str:
    """What the figures show, each number read from them, and what one machine cannot show."""
    paragraphs = [
        errors_said(results) + " " + spread_said(results),
        operation_verdict(results, READ, "The read"),
        operation_verdict(results, CREATE, "The create"),
        nagle_verdict(results),
        beyond_double(results),
        cores_verdict(results),
        "What this machine cannot show is scaling past its cores. A second process gets the"
        " CPU time the first leaves idle and no more: with both cores busy (PostgreSQL, nginx"
        " and wrk run on them too), a third worker or replica would add nothing. Replicas that"
        " add throughput need more cores than the stack uses, the load generator on a machine"
        " of its own. What these figures do show is what a second process and a proxy cost, in"
        " CPU per request and in p99 latency, and that none of them failed a request.",
    ]
    return "\n\n".join(paragraph for paragraph in paragraphs if paragraph)


def table_text(results: Mapping[str, Any]) -> str:
    """The page's figures: a table per operation, the verdict, every run, the machine."""
    machine = results["machine"]
    settings = results["settings"]
    image = settings["image"]
    versions = ", ".join(f"{name} {image[name]}" for name in ("fastapi", "uvicorn", "sqlalchemy"))
    sections = [
        f"**{operation} {path}**\n\n{operation_table(results, operation)}"
        for operation, path in settings["operations"].items()
    ]
    every_run = harness.markdown_table(harness.runs_from_dicts(results["runs"]))
    return (
        f"Requests/s, and as a ratio to {settings['baseline']} measured in the same run (1.000x);"
        f" {settings['database']}; each point the median of {settings['repeat']} runs of"
        f" {settings['duration_s']:g} s. Stack CPU is what the"
        " app processes, nginx and PostgreSQL used per request answered; the CPUs column says"
        " how many of the machine's the stack, wrk and the rest of the machine kept busy.\n\n"
        + "\n".join(sections)
        + "\n"
        + verdict(results)
        + '\n\n??? note "Every run: requests per second, latency, errors"\n\n    '
        + every_run.replace("\n", "\n    ").rstrip()
        + f"\n\nMeasured {machine['date']} on {machine['cpu_count']} CPUs"
        f" ({machine['cpu_model']}), the image's Python {image['python']} and {versions},"
        f" load generator: {machine['load_generator']}, load"
        f" average before the run: {machine['load_average_1min']}; the run took"
        f" {settings['total_run_s'] / 60:.0f} min." + other_work(results) + "\n"
    )


def other_work(results: Mapping[str, Any]) -> str:
    """What the rest of the machine did during the runs (it is shared): a sentence, or ""."""
    during = [
        (cpus, name, run["concurrency"])
        for name, values in results["other_processes_cpus"].items()
        for cpus, run in zip(values, results["runs"][name], strict=True)
        if cpus is not None
    ]
    if not during:
        return ""
    most, name, level = max(during)
    median = statistics.median(cpus for cpus, _, _ in during)
    return (
        f" The rest of the machine (other processes, the kernel's own work) kept {median:.2f}"
        f" of the {results['machine']['cpu_count']} CPUs busy during a run (median),"
        f" {most:.2f} at most ({name}, {level} connections)."
    )


COLOURS = {TWO_WORKERS: "tab:blue", PROXIED: "tab:orange", REPLICAS: "tab:red"}


def plot(results: Mapping[str, Any], path: Path) -> None:
    """Requests/s, p99 and the stack's CPU per request against concurrency: a row per
    operation, a line per setup. The baseline is dashed and grey, as harness.plot draws a
    reference.
    """
    import matplotlib  # imported here: only the benchmark sessions install it

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    from matplotlib.ticker import FuncFormatter, LogLocator, NullFormatter, NullLocator

    levels = results["settings"]["levels"]
    figure_, panels = plt.subplots(2, 3, figsize=(15, 8), layout="constrained")
    plain_numbers = FuncFormatter(lambda value, _: f"{value:g}")
    for (throughput, latency, cpu), (operation, path_) in zip(
        panels, results["settings"]["operations"].items(), strict=True
    ):
        for setup in SETUPS:
            runs = results["runs"][variant(setup, operation)]
            style: dict[str, Any] = {"marker": "o"}
            if setup is BASELINE:
                style |= {"linestyle": "--", "color": "grey"}
            else:
                style["color"] = COLOURS[setup]
            label = setup.name if throughput is panels[0][0] else None  # one legend entry each
            throughput.plot(
                [r["concurrency"] for r in runs],
                [r["requests_per_second"] for r in runs],
                label=label,
                **style,
            )
            answered = [r for r in runs if r["p99_ms"] is not None]
            latency.plot(
                [r["concurrency"] for r in answered], [r["p99_ms"] for r in answered], **style
            )
            per_request = results["stack_cpu_us_per_request"][variant(setup, operation)]
            measured = [(r["concurrency"], us) for r, us in zip(runs, per_request, strict=True)]
            cpu.plot(*zip(*[(c, us) for c, us in measured if us is not None], strict=True), **style)
        throughput.set(title=f"{operation} {path_}: throughput", ylabel="requests/s")
        throughput.set_ylim(bottom=0)
        latency.set(title=f"{operation} {path_}: p99 latency", ylabel="ms (log scale)")
        latency.set_yscale("log")
        latency.yaxis.set_major_locator(LogLocator(base=10, subs=(1.0, 2.0, 5.0)))
        latency.yaxis.set_major_formatter(plain_numbers)
        latency.yaxis.set_minor_formatter(NullFormatter())
        cpu.set(title=f"{operation}: stack CPU per request", ylabel="µs (app, nginx, PostgreSQL)")
        cpu.set_ylim(bottom=0)
        for axes in (throughput, latency, cpu):
            axes.set_xscale("log")
            axes.set_xticks(levels)  # the levels measured, as plain numbers
            axes.xaxis.set_major_formatter(plain_numbers)
            axes.xaxis.set_minor_locator(NullLocator())
            axes.set_xlabel("concurrent connections")
            axes.grid(True, which="both", alpha=0.3)
    figure_.legend(loc="outside lower center", ncols=len(SETUPS), frameon=False)
    machine = results["machine"]
    figure_.suptitle(
        "The final app's image: one worker, two workers, one and two containers behind nginx,"
        f" one PostgreSQL ({machine['cpu_count']} CPUs shared by all, {machine['date']})"
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
    parser.add_argument("--duration", type=float, default=3.0, help="seconds per run")
    parser.add_argument(
        "--repeat", type=int, default=3, help="runs per point; the median one is kept"
    )
    parser.add_argument(
        "--quiet-wait",
        type=float,
        default=10.0,
        help="seconds to wait before each run for other processes to leave the CPUs alone",
    )
    parser.add_argument("--replot", action="store_true", help="redraw from the saved JSON")
    parser.add_argument("--output", type=Path, default=OUTPUT, help="where results go")
    args = parser.parse_args()
    json_path = args.output / f"{NAME}.json"
    if args.replot:
        results = json.loads(json_path.read_text())
    else:
        # Stopped by SIGTERM (a CI job cancelled, `kill`), still remove every container: the
        # exit unwinds through the `with` blocks that started them.
        signal.signal(signal.SIGTERM, lambda number, frame: sys.exit(128 + number))
        results = run(args)
        harness.write_json(json_path, results)
    write_outputs(results, args.output)
    print(verdict(results))
    print(f"Wrote {json_path} and its plot and table.")


if __name__ == "__main__":
    main()
