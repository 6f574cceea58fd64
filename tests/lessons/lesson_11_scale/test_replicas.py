"""Losing a replica under load loses nothing and duplicates nothing.

compose.yaml's topology runs for real (tests/support/topology.py): PostgreSQL, the migration,
two replicas of the project's image and nginx in front, all containers. Clients drive creates
and reads through the proxy (tests/support/load.py); one replica is killed (`kill`: SIGKILL,
no goodbye) while they run. Then the database is asked what exists:

- every create a client was told about (201) is in the database exactly once, with that id;
- no create is in it twice, however many times its client had to send it;
- reads keep being answered after the kill: the proxy fails over to the other replica.

Before that, a replica stalls instead (`pause`) while creates reach it: their clients give up and
send them again, and the stalled replica, once resumed, handles the first attempts too. Without
the `Idempotency-Key` each create sends, that test finds the tickets twice in the database.

The run's counts are printed, and written as JSON to the directory named by LESSON_11_FIGURES
(the lesson page reads docs/assets/lesson-11/replica-loss.json, written that way):

    LESSON_11_FIGURES=docs/assets/lesson-11 nox -s lesson-11
"""

from __future__ import annotations

import json
import os
import re
import threading
import time
from collections import Counter
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import httpx2
import pytest

from tests.container.conftest import engine  # noqa: F401 (a fixture)
from tests.container.engine import Engine
from tests.support import load
from tests.support.compose import ROOT
from tests.support.topology import Topology, build_image, running_topology

# Starts compose.yaml's topology in containers: `nox -s replicas` runs it.
pytestmark = pytest.mark.containers

CLIENTS = 6
KILL_AFTER_S = 8.0  # enough for both replicas to have served plenty
RUN_FOR_S = 24.0
FIGURES_FILE = "replica-loss.json"
LEGEND = {
    "sent": "HTTP requests the clients sent, retries included",
    "answered": "answered as asked: 201 for a create, 200 with the right ticket for a read",
    "failed": "anything else: no answer, a 502, a timeout",
    "retried": "creates sent again with the same Idempotency-Key and body",
    "tickets": "creates the clients meant to make, however many attempts each took",
    "acknowledged": "tickets a client got a 201 for",
    "found": "acknowledged tickets in PostgreSQL exactly once, under the id the client got",
    "duplicated": "tickets in PostgreSQL more than once",
    "replayed": "retries the app answered from the first attempt's ticket",
    "in_flight_at_kill": "reads sent before the kill and answered after it",
    "answered_by": "answers per replica, from nginx's access log",
}
COMMITTED_FIGURES = ROOT / "docs" / "assets" / "lesson-11" / FIGURES_FILE
# nginx's access log (deploy/nginx/repairdesk.conf): each replica tried, and what it answered.
UPSTREAMS = re.compile(
    r"upstream=(?P<addresses>\S+(?:, \S+)*) upstream_status=(?P<statuses>\S+(?:, \S+)*)"
)


@pytest.fixture(scope="module")
def image(engine: Engine) -> str:  # noqa: F811 (the fixture imported above)
    return build_image(engine)


@pytest.fixture(scope="module")
def topology(engine: Engine, image: str) -> Iterator[Topology]:  # noqa: F811
    with running_topology(engine, image) as running:
        yield running


def test_proxy_hides_metrics(topology: Topology) -> None:
    for path in ("/metrics", "/metrics/", "/%6detrics"):
        response = httpx2.get(f"{topology.proxy_url}{path}", timeout=10)
        assert response.status_code == 404, path


def test_proxy_passes_the_request_id_on_and_back(topology: Topology) -> None:
    mine = httpx2.get(
        f"{topology.proxy_url}/health/live", headers={"X-Request-ID": "lesson-11.test:1"}
    )
    made_up = httpx2.get(f"{topology.proxy_url}/health/live")
    refused = httpx2.get(f"{topology.proxy_url}/metrics")  # answered by nginx itself
    # One id per response: the client's, or the one nginx made up and the app then used.
    assert mine.headers.get_list("X-Request-ID") == ["lesson-11.test:1"]
    [nginx_made] = made_up.headers.get_list("X-Request-ID")
    [nginx_alone] = refused.headers.get_list("X-Request-ID")
    proxy_log = topology.engine.logs(topology.proxy)
    for request_id in ("lesson-11.test:1", nginx_made, nginx_alone):
        assert f"request_id={request_id} " in proxy_log


def test_proxy_refuses_a_body_over_the_apps_limit_itself(topology: Topology) -> None:
    too_large = b"x" * (1024 * 1024 + 1)
    response = httpx2.post(f"{topology.proxy_url}/api/v1/tickets", content=too_large)
    assert response.status_code == 413
    assert response.headers["Server"] == "nginx"  # refused before any replica saw it


def test_proxy_spreads_requests_over_every_replica(topology: Topology) -> None:
    for _ in range(10):
        httpx2.get(f"{topology.proxy_url}/health/live", timeout=10)
    served = served_by(topology.engine.logs(topology.proxy))
    assert {topology.address(replica) for replica in topology.replicas} <= served.keys()


def served_by(proxy_log: str) -> Counter[str]:
    """How many answers each replica address gave, according to nginx's access log."""
    answered: Counter[str] = Counter()
    for match in UPSTREAMS.finditer(proxy_log):
        addresses, statuses = match["addresses"].split(", "), match["statuses"].split(", ")
        if addresses[-1] != "-" and statuses[-1].isdigit() and int(statuses[-1]) < 500:
            answered[addresses[-1].rsplit(":", 1)[0]] += 1  # the address, without the port
    return answered


def test_a_create_retried_past_a_stalled_replica_is_stored_once(topology: Topology) -> None:
    """The case idempotency keys exist for: the first attempt is not lost, only its answer.

    A replica stalls (`pause`: frozen, as in a long GC pause or a starved host) while creates
    reach it. Its kernel still accepts the connections, so the requests wait in it; each client
    gives up after a second and sends the create again, which the other replica answers. When
    the stalled replica resumes, it works through the requests it was sent: the same creates,
    a second time. Only the key lets it see that, and answer from the first ticket instead.
    """
    email, password = topology.admin_credentials()
    token = load.sign_in(topology.proxy_url, email, password)
    run = load.Run(marker_prefix=f"stall-{topology.run}")
    client = load.Client(run, topology.proxy_url, token, threading.Event(), number=1, timeout=1)
    stalled = topology.replicas[0]

    topology.engine("pause", stalled)
    try:
        with client.http:  # not run as a thread here: its connections are closed by this test
            for sequence in range(1, 5):  # in turn, so the proxy sends some to each replica
                client.create(client.new_create(sequence))
    finally:
        topology.engine("unpause", stalled)
    time.sleep(3)  # the resumed replica works through what it was sent while frozen

    stored = Counter(marker for marker, _ in topology.tickets_marked(run.marker_prefix))
    assert all(create.acknowledged for create in run.creates)
    assert run.counts("create")["retried"] > 0, "no create reached the stalled replica"
    assert stored == {create.marker: 1 for create in run.creates}


def test_losing_a_replica_under_load_loses_and_duplicates_nothing(
    topology: Topology, capsys: pytest.CaptureFixture[str]
) -> None:
    email, password = topology.admin_credentials()
    # One after the other: each sign-in is one attempt of the account's throttle.
    tokens = [load.sign_in(topology.proxy_url, email, password) for _ in range(CLIENTS)]
    run = load.Run(marker_prefix=f"loss-{topology.run}")
    stop = threading.Event()
    clients = list(load.clients(run, topology.proxy_url, tokens, stop))
    victim, survivor = topology.replicas[0], topology.replicas[1]
    addresses = topology.address(victim), topology.address(survivor)  # gone once it is killed
    log_at_kill = ""

    for client in clients:
        client.start()
    try:
        time.sleep(KILL_AFTER_S)
        killed_at = run.now()
        topology.engine("kill", victim)  # SIGKILL: requests in flight on it die with it
        log_at_kill = topology.engine.logs(topology.proxy)
        time.sleep(RUN_FOR_S - KILL_AFTER_S)
    finally:
        stop.set()
        for client in clients:
            client.join(timeout=60)

    stored = topology.tickets_marked(run.marker_prefix)
    acknowledged = {c.marker: c.ticket_id for c in run.creates if c.acknowledged}
    in_database = Counter(marker for marker, _ in stored)
    ids = dict(stored)
    reads = [a for a in run.attempts if a.kind == "read"]
    reads_after_kill = [a for a in reads if a.started >= killed_at]
    in_flight = [a for a in reads if a.started < killed_at <= a.ended]
    figures: dict[str, Any] = {
        "legend": LEGEND,
        "date": datetime.now(UTC).date().isoformat(),
        "engine": topology.engine("--version").strip(),
        "cpus": os.cpu_count(),
        "replicas": len(topology.replicas),
        "clients": CLIENTS,
        "run_s": RUN_FOR_S,
        "killed_at_s": round(killed_at, 2),
        "requests": run.counts(),
        "creates": {
            **run.counts("create"),
            "tickets": len(run.creates),
            "acknowledged": len(acknowledged),
            "found": sum(in_database[marker] == 1 for marker in acknowledged),
            "duplicated": sum(count > 1 for count in in_database.values()),
            "replayed": sum(a.replayed for a in run.attempts),
            "unacknowledged": len(run.creates) - len(acknowledged),
        },
        "reads": {
            **run.counts("read"),
            "after_kill": len(reads_after_kill),
            "failed_after_kill": sum(not a.answered for a in reads_after_kill),
            "in_flight_at_kill": len(in_flight),
        },
        "answered_by": {
            "before_kill": answer_counts(log_at_kill, *addresses),
            "after_kill": answer_counts(
                topology.engine.logs(topology.proxy), *addresses, minus=log_at_kill
            ),
        },
        "startup_s": topology.timings,
    }
    with capsys.disabled():
        print(f"\nreplica loss:\n{json.dumps(figures, indent=2)}")

    # The load really ran on both replicas, then really lost one.
    assert figures["answered_by"]["before_kill"]["killed replica"] > 0
    assert figures["answered_by"]["before_kill"]["surviving replica"] > 0
    # From the kill on, the proxy got every answer from the survivor.
    assert figures["answered_by"]["after_kill"]["killed replica"] == 0
    assert topology.state(victim) != "running"
    assert figures["reads"]["after_kill"] > 50, "too little load after the kill to show anything"
    # Nothing lost: every ticket a client was told about is there, once, under its id ...
    assert {marker: ids.get(marker) for marker in acknowledged} == acknowledged
    assert all(in_database[marker] == 1 for marker in acknowledged)
    # ... no create is in the database twice, however often it was sent ...
    assert [marker for marker, count in in_database.items() if count > 1] == []
    # ... and every create was acknowledged in the end: a replica was always left to answer.
    # (A client finishes the create it has begun before it looks at `stop`.)
    assert figures["creates"]["unacknowledged"] == 0
    # Reads failed over: apart from those in flight at the kill, every one was answered.
    assert [a for a in reads_after_kill if not a.answered] == []
    record(figures)


def answer_counts(
    proxy_log: str, victim_address: str, survivor_address: str, minus: str = ""
) -> dict[str, int]:
    """Answers from each replica in the log, less those already in `minus` (an earlier copy)."""
    served = served_by(proxy_log) - served_by(minus)
    return {"killed replica": served[victim_address], "surviving replica": served[survivor_address]}


def record(figures: dict[str, Any]) -> None:
    """Write the figures of a run that passed where LESSON_11_FIGURES says, if it says."""
    if directory := os.environ.get("LESSON_11_FIGURES"):
        Path(directory).mkdir(parents=True, exist_ok=True)
        (Path(directory) / FIGURES_FILE).write_text(json.dumps(figures, indent=2) + "\n")


def test_committed_figures_are_a_run_that_lost_and_duplicated_nothing() -> None:
    """The figures the lesson page shows: one run of the test above, with its own checks."""
    if os.environ.get("LESSON_11_FIGURES"):
        pytest.skip("this run records new figures: the committed ones are about to change")
    figures = json.loads(COMMITTED_FIGURES.read_text())
    requests, creates, reads = figures["requests"], figures["creates"], figures["reads"]
    for counts in (requests, creates, reads):
        assert counts["answered"] + counts["failed"] == counts["sent"]
    assert creates["sent"] + reads["sent"] == requests["sent"]
    assert creates["acknowledged"] == creates["found"] == creates["tickets"]
    assert creates["duplicated"] == 0
    assert reads["failed_after_kill"] == 0
    assert 0 < figures["killed_at_s"] < figures["run_s"]
