"""The image as a learner runs it first: SQLite on a named volume, migrated by a one-off container.

One app container serves the whole module; each test asks it one question. The last test
starts its own, on a volume of its own, because it removes that container on purpose.
"""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from dataclasses import dataclass

import httpx2
import pytest

from benchmarks.harness import free_port
from tests.container import api
from tests.container.conftest import Figures, unique_name
from tests.container.engine import Engine, Resources, wait_until_live

UID = "10001"


@dataclass(frozen=True)
class RunningApp:
    id: str
    name: str
    base_url: str


def migrated_volume(
    engine: Engine, started: Resources, image: str, secret_key: str
) -> tuple[str, str]:
    """A new named volume, migrated by a one-off container that exits when it is done.

    Returns the volume's name and what the migration printed.
    """
    volume = started.volume(unique_name("repairdesk-test-data"))
    engine("volume", "create", volume)
    migration = started.container(unique_name("repairdesk-test-migrate"))
    engine("run", "--name", migration, *engine.run_flags, "-v", f"{volume}:/data",
           "-e", f"REPAIRDESK_SECRET_KEY={secret_key}", image,
           "python", "-m", "final_app", "migrate")  # fmt: skip
    return volume, engine.logs(migration)


def run_app(
    engine: Engine, image: str, name: str, port: int, volume: str, secret_key: str
) -> RunningApp:
    """The lesson's `docker run -d` line: the app on the volume, published on loopback only."""
    data = ["-v", f"{volume}:/data"]
    secret = ["-e", f"REPAIRDESK_SECRET_KEY={secret_key}"]
    publish = ["-p", f"127.0.0.1:{port}:8000"]
    # `run --detach` prints the new container's id: it tells two containers of one name apart.
    container_id = engine("run", "--detach", "--name", name, *engine.run_flags, *data, *secret,
                          *api.admin_environment(), *publish, image)  # fmt: skip
    base_url = f"http://127.0.0.1:{port}"
    wait_until_live(engine, name, base_url)
    return RunningApp(container_id.strip(), name, base_url)


@pytest.fixture(scope="module")
def sqlite_app(
    engine: Engine, image: str, secret_key: str, figures: Figures
) -> Iterator[RunningApp]:
    started = Resources(engine)
    try:
        volume, figures.transcripts["migrate"] = migrated_volume(engine, started, image, secret_key)
        name = started.container(unique_name())
        run_at = time.perf_counter()
        app = run_app(engine, image, name, free_port(), volume, secret_key)
        figures.values["cold_start_s"] = time.perf_counter() - run_at
        figures.transcripts["startup"] = engine.logs(name)
        yield app
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


def test_ticket_survives_removing_the_container(
    engine: Engine, image: str, secret_key: str, resources: Resources
) -> None:
    # Not `restart`: that keeps the container's writable layer, so the ticket would survive
    # even without the volume. `rm --force` deletes that layer; only the volume is left.
    volume, _ = migrated_volume(engine, resources, image, secret_key)
    name, port = resources.container(unique_name()), free_port()
    first = run_app(engine, image, name, port, volume, secret_key)
    headers = api.technician(first.base_url, "new-container@example.com")
    ticket = api.create_ticket(first.base_url, headers)

    engine("rm", "--force", name)
    second = run_app(engine, image, name, port, volume, secret_key)  # the same `run` line

    assert second.id != first.id  # a new container, not the old one started again
    response = api.read_ticket(second.base_url, headers, ticket["id"])
    assert (response.status_code, response.json()) == (200, ticket)
