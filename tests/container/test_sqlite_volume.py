"""The image as a learner runs it first: SQLite on a named volume, migrated by a one-off container.

One app container serves the whole module; each test asks it one question.
"""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from dataclasses import dataclass

import httpx2
import pytest

from tests.container import api
from tests.container.conftest import Figures, unique_name
from tests.container.engine import Engine, Resources, free_port, wait_until_live

UID = "10001"


@dataclass(frozen=True)
class RunningApp:
    name: str
    base_url: str


@pytest.fixture(scope="module")
def sqlite_app(
    engine: Engine, image: str, secret_key: str, figures: Figures
) -> Iterator[RunningApp]:
    started = Resources(engine)
    try:
        volume = started.volume(unique_name("repairdesk-test-data"))
        engine("volume", "create", volume)
        secret = ["-e", f"REPAIRDESK_SECRET_KEY={secret_key}"]
        data = ["-v", f"{volume}:/data"]

        # The migration is a step of its own, in a container that exits when it is done.
        migration = started.container(unique_name("repairdesk-test-migrate"))
        engine("run", "--name", migration, *engine.run_flags, *data, *secret, image,
               "python", "-m", "final_app", "migrate")  # fmt: skip
        figures.transcripts["migrate"] = engine.logs(migration)

        name = started.container(unique_name())
        port = free_port()
        run_at = time.perf_counter()
        engine("run", "--detach", "--name", name, *engine.run_flags, *data, *secret,
               *api.admin_environment(), "-p", f"127.0.0.1:{port}:8000", image)  # fmt: skip
        base_url = f"http://127.0.0.1:{port}"
        wait_until_live(engine, name, base_url)
        figures.values["cold_start_s"] = time.perf_counter() - run_at
        figures.transcripts["startup"] = engine.logs(name)
        yield RunningApp(name, base_url)
    finally:
        started.remove_all()


def test_process_runs_as_the_unprivileged_uid(
    engine: Engine, sqlite_app: RunningApp, figures: Figures
) -> None:
    figures.transcripts["id"] = engine("exec", sqlite_app.name, "id")
    status = engine("exec", sqlite_app.name, "cat", "/proc/1/status")
    uid_line = next(line for line in status.splitlines() if line.startswith("Uid:"))
    assert uid_line.split()[1:] == [UID] * 4  # real, effective, saved, filesystem


def test_healthcheck_command_passes_inside_the_container(
    engine: Engine, image: str, sqlite_app: RunningApp
) -> None:
    test = engine("image", "inspect", "--format", "{{json .Config.Healthcheck.Test}}", image)
    command = json.loads(test)[1:]  # drop "CMD"
    engine("exec", sqlite_app.name, *command)  # raises if the probe exits non-zero


def test_app_is_ready_once_migrated(sqlite_app: RunningApp) -> None:
    assert httpx2.get(f"{sqlite_app.base_url}/health/ready", timeout=10).status_code == 200


def test_ticket_created_through_the_api_reads_back(sqlite_app: RunningApp) -> None:
    headers = api.technician(sqlite_app.base_url, "reads-back@example.com")
    ticket = api.create_ticket(sqlite_app.base_url, headers)
    response = api.read_ticket(sqlite_app.base_url, headers, ticket["id"])
    assert (response.status_code, response.json()) == (200, ticket)


def test_ticket_survives_a_container_restart(engine: Engine, sqlite_app: RunningApp) -> None:
    headers = api.technician(sqlite_app.base_url, "restart@example.com")
    ticket = api.create_ticket(sqlite_app.base_url, headers)
    engine("restart", sqlite_app.name)
    wait_until_live(engine, sqlite_app.name, sqlite_app.base_url)
    response = api.read_ticket(sqlite_app.base_url, headers, ticket["id"])
    assert (response.status_code, response.json()) == (200, ticket)
