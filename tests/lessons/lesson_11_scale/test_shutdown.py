"""Graceful shutdown of a replica: SIGTERM under load loses no request, and the exit is bounded.

compose.yaml's topology runs for real (tests/support/topology.py). `stop` sends SIGTERM, then
SIGKILL after compose's `stop_grace_period`. uvicorn, on SIGTERM, stops accepting connections,
lets the requests in flight finish for at most UVICORN_TIMEOUT_GRACEFUL_SHUTDOWN seconds (the
image's setting), then exits. So:

- under load, every request the stopping replica had started gets its answer; the proxy sends
  the ones it refuses to the other replica, so every read succeeds and every create is stored
  once (one it had not read yet may come back as a 502, and its client sends it again);
- a slow client holding a request open does not hold the replica past its grace period: it
  exits by itself (code 0) before the engine would SIGKILL it;
- a readiness probe answered after SIGTERM says 503, so nothing sends the replica new work.

The timings are printed, and written as JSON where LESSON_11_FIGURES says (see test_replicas.py).
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import threading
import time
from collections import Counter
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from tests.container.conftest import engine  # noqa: F401 (a fixture)
from tests.container.engine import Engine
from tests.support import load
from tests.support.compose import ROOT
from tests.support.topology import Topology, build_image, running_topology

# Starts compose.yaml's topology in containers: `nox -s replicas` runs it.
pytestmark = pytest.mark.containers

CLIENTS = 4
STOP_AFTER_S = 5.0
RUN_FOR_S = 14.0
FIGURES_FILE = "shutdown.json"
COMMITTED_FIGURES = ROOT / "docs" / "assets" / "lesson-11" / FIGURES_FILE
# A client that starts a POST, waits until the app reads its body, then sends one byte of it
# every 0.1 s for ever: the slowest client a replica can have. It announces the largest body
# the app accepts (1 MiB): a size limit bounds memory, not time.
SLOW_CLIENT = """
import socket, sys, time
connection = socket.create_connection((sys.argv[1], 8000))
connection.sendall(
    b"POST /api/v1/tickets HTTP/1.1\\r\\nHost: app\\r\\nContent-Type: application/json\\r\\n"
    b"Content-Length: 1048576\\r\\nExpect: 100-continue\\r\\n\\r\\n"
)
assert connection.recv(64).startswith(b"HTTP/1.1 100 ")
print("in flight", flush=True)
while True:
    connection.sendall(b" ")
    time.sleep(0.1)
"""
# A readiness probe from inside the replica: prints the status /health/ready answers.
READINESS_PROBE = """
import urllib.error, urllib.request
try:
    print(urllib.request.urlopen("http://127.0.0.1:8000/health/ready", timeout=60).status)
except urllib.error.HTTPError as error:
    print(error.code)
"""
# nginx's error log: a request to the stopped replica's address that failed, and how.
UPSTREAM_ERROR = re.compile(
    r'\[error\].*? (?P<what>[^,]*), client: .*upstream: "http://(?P<address>[\d.]+):'
)
FIGURES: dict[str, Any] = {
    "legend": {
        "stop_s": "from `stop` to its return, the engine's own work included (about a second)",
        "exit_code": "0: uvicorn exited by itself; 137: the engine had to SIGKILL it",
        "refused_by_the_stopping_replica": "connections nginx passed to the other replica",
        "closed_before_uvicorn_read_them": "connections uvicorn had not read from when it stopped",
        "replayed": "creates stored by the stopping replica whose answer never reached the client",
    }
}


@pytest.fixture(scope="module")
def image(engine: Engine) -> str:  # noqa: F811 (the fixture imported above)
    return build_image(engine)


@pytest.fixture(scope="module")
def topology(engine: Engine, image: str) -> Iterator[Topology]:  # noqa: F811
    with running_topology(engine, image) as running:
        yield running


@pytest.fixture(scope="module", autouse=True)
def figures(request: pytest.FixtureRequest) -> Iterator[dict[str, Any]]:
    """The module's timings: printed at the end, and written where LESSON_11_FIGURES says."""
    yield FIGURES
    if FIGURES.keys() == {"legend"} or request.session.testsfailed:
        return  # nothing measured, or a run that failed: not figures to show
    FIGURES["date"] = datetime.now(UTC).date().isoformat()
    text = json.dumps(FIGURES, indent=2, sort_keys=True) + "\n"
    terminal = request.config.pluginmanager.get_plugin("terminalreporter")
    if terminal is not None:  # printed even though pytest captures the tests' output
        terminal.write_line(f"\nshutdown:\n{text}")
    if directory := os.environ.get("LESSON_11_FIGURES"):
        Path(directory).mkdir(parents=True, exist_ok=True)
        (Path(directory) / FIGURES_FILE).write_text(text)


def stop(topology: Topology, replica: str) -> float:
    """`stop` with compose's grace period; the seconds until it returned, the replica gone.

    That includes the engine's own work (about a second here, for a replica with nothing to
    finish): the exit code, not this time, tells whether the engine had to SIGKILL.
    """
    grace = topology.services["app"].stop_grace_period_s or 10
    started = time.perf_counter()
    topology.engine("stop", "--time", str(round(grace)), replica, timeout=grace + 30)
    return time.perf_counter() - started


def test_sigterm_under_load_answers_every_request_it_accepted(topology: Topology) -> None:
    email, password = topology.admin_credentials()
    tokens = [load.sign_in(topology.proxy_url, email, password) for _ in range(CLIENTS)]
    run = load.Run(marker_prefix=f"stop-{topology.run}")
    halt = threading.Event()
    clients = list(load.clients(run, topology.proxy_url, tokens, halt))
    victim = topology.replicas[0]
    victim_address = topology.address(victim)

    for client in clients:
        client.start()
    try:
        time.sleep(STOP_AFTER_S)
        stopped_at = run.now()
        seconds = stop(topology, victim)
        time.sleep(max(0.0, RUN_FOR_S - run.now()))
    finally:
        halt.set()
        for client in clients:
            client.join(timeout=60)

    errors = [
        match["what"]
        for match in UPSTREAM_ERROR.finditer(topology.engine.logs(topology.proxy))
        if match["address"] == victim_address
    ]
    # How nginx saw the replica go, for the figures. Refused: it had stopped listening, and
    # nginx sent the request to the other replica. Anything else: a connection uvicorn had not
    # read a byte from yet when it stopped (its queue is reset, an idle connection closed);
    # nginx fails a GET over, and a POST's client sends it again with its Idempotency-Key.
    refused = [what for what in errors if "while connecting to upstream" in what]
    stored = Counter(marker for marker, _ in topology.tickets_marked(run.marker_prefix))
    replica_log = topology.engine.logs(victim)
    FIGURES["under_load"] = {
        "stopped_at_s": round(stopped_at, 2),
        "stop_s": round(seconds, 2),
        "exit_code": topology.exit_code(victim),
        "requests": run.counts(),
        "reads": run.counts("read"),
        "creates": run.counts("create"),
        "refused_by_the_stopping_replica": len(refused),
        "closed_before_uvicorn_read_them": len(errors) - len(refused),
        "replayed": sum(a.replayed for a in run.attempts),
    }

    assert topology.exit_code(victim) == 0  # uvicorn exited by itself: not SIGKILLed (137)
    # Every request uvicorn had started was finished: it cancelled none ...
    assert "timeout graceful shutdown exceeded" not in replica_log
    # ... and none was done without its answer reaching the client: a create that had been
    # stored, then retried by its client, would have been answered from its key (replayed).
    assert FIGURES["under_load"]["replayed"] == 0
    # The clients saw nothing of it: every read answered, every create stored once.
    assert run.counts("read")["failed"] == 0, run.counts("read")
    assert all(create.acknowledged for create in run.creates)
    assert stored == {create.marker: 1 for create in run.creates}


def test_a_slow_client_does_not_hold_a_stopping_replica_past_its_grace_period(
    topology: Topology,
) -> None:
    grace = topology.services["app"].stop_grace_period_s or 10
    graceful = float(topology.image_environment()["UVICORN_TIMEOUT_GRACEFUL_SHUTDOWN"])
    replica = topology.add_replica()
    idle = topology.add_replica()
    client = topology.run_on_network("slow-client", "python", "-c", SLOW_CLIENT, replica)
    deadline = time.monotonic() + 30
    while "in flight" not in topology.engine.logs(client):
        assert time.monotonic() < deadline, topology.engine.logs(client)
        time.sleep(0.2)

    idle_seconds = stop(topology, idle)
    seconds = stop(topology, replica)
    FIGURES["idle"] = {"stop_s": round(idle_seconds, 2), "exit_code": topology.exit_code(idle)}
    FIGURES["slow_client"] = {
        "stop_s": round(seconds, 2),
        "exit_code": topology.exit_code(replica),
        "uvicorn_timeout_graceful_shutdown_s": graceful,
        "stop_grace_period_s": grace,
    }

    # With nothing in flight, a replica exits at once.
    assert topology.exit_code(idle) == 0
    assert idle_seconds < graceful
    # With a request that never ends, it waits the graceful timeout, then gives up on it and
    # exits by itself: 0, not the 137 of the SIGKILL the engine sends after `grace` seconds.
    assert topology.exit_code(replica) == 0
    assert seconds >= graceful


def test_a_probe_answered_after_sigterm_says_not_ready(
    topology: Topology,
    engine: Engine,  # noqa: F811 (the fixture imported above)
) -> None:
    """Readiness answers 503 from SIGTERM on, even for a probe that arrived just before it.

    New connections are refused from SIGTERM on, so the probe must already be in the replica:
    with the database frozen (`pause`), the probe waits inside it for its query; SIGTERM comes;
    the database resumes, the query answers, and the probe still says "not ready".
    """
    replica = topology.add_replica()
    engine("pause", topology.db)
    try:
        probe = subprocess.Popen(
            [engine.command, "exec", replica, "python", "-c", READINESS_PROBE],
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        )  # fmt: skip
        time.sleep(2)  # the probe is in, waiting for the database
        engine("kill", "--signal", "TERM", replica)
        time.sleep(1)
    finally:
        engine("unpause", topology.db)
    status, errors = probe.communicate(timeout=60)
    engine("wait", replica, timeout=30)

    assert status.strip() == "503", errors
    assert topology.exit_code(replica) == 0


def test_committed_figures_are_a_run_within_its_grace_periods() -> None:
    """The timings the lesson page shows: one run of the tests above, with their own checks."""
    if os.environ.get("LESSON_11_FIGURES"):
        pytest.skip("this run records new figures: the committed ones are about to change")
    figures = json.loads(COMMITTED_FIGURES.read_text())
    slow = figures["slow_client"]
    assert figures["under_load"]["requests"]["failed"] == 0
    assert figures["under_load"]["replayed"] == 0
    assert figures["under_load"]["reads"]["failed"] == 0
    assert figures["idle"]["stop_s"] < slow["uvicorn_timeout_graceful_shutdown_s"]
    assert slow["uvicorn_timeout_graceful_shutdown_s"] <= slow["stop_s"]
    assert slow["uvicorn_timeout_graceful_shutdown_s"] < slow["stop_grace_period_s"]
    assert {part["exit_code"] for part in (figures["idle"], slow, figures["under_load"])} == {0}
