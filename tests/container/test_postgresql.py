"""Two replicas of the image behind one PostgreSQL: the app keeps no state of its own.

The containers share the host's network to reach the server on 127.0.0.1, in a database this
module creates and drops, so it never touches the database other suites use. Runs when
TEST_DATABASE_URL names a PostgreSQL server (as the final app's suite does).
"""

from __future__ import annotations

from collections.abc import Iterator

import httpx2
import pytest

from benchmarks.harness import free_port
from tests.container import api
from tests.container.conftest import unique_name
from tests.container.engine import Engine, Resources, wait_until_live
from tests.support.database import throwaway_postgresql_database

REPLICAS = 2


@pytest.fixture(scope="module")
def database_url() -> Iterator[str]:
    """A fresh database on the test server, dropped at the end with whatever is still connected."""
    with throwaway_postgresql_database("repairdesk_container") as url:
        yield url


@pytest.fixture(scope="module")
def replicas(engine: Engine, image: str, secret_key: str, database_url: str) -> Iterator[list[str]]:
    """The base URLs of two app containers sharing the database (after one migration)."""
    started = Resources(engine)
    flags = engine.run_flags_on_host_network()
    config = ["-e", f"REPAIRDESK_SECRET_KEY={secret_key}",
              "-e", f"REPAIRDESK_DATABASE_URL={database_url}"]  # fmt: skip
    try:
        migration = started.container(unique_name("repairdesk-test-migrate"))
        engine("run", "--name", migration, *flags, *config, image,
               "python", "-m", "final_app", "migrate")  # fmt: skip
        base_urls = []
        for _ in range(REPLICAS):  # one after the other: the first creates the admin
            name = started.container(unique_name())
            port = free_port()
            # On the host's network: listen on loopback only, each replica on its own port.
            engine("run", "--detach", "--name", name, *flags, *config, *api.admin_environment(),
                   "-e", "UVICORN_HOST=127.0.0.1", "-e", f"UVICORN_PORT={port}", image)  # fmt: skip
            base_url = f"http://127.0.0.1:{port}"
            wait_until_live(engine, name, base_url)
            base_urls.append(base_url)
        yield base_urls
    finally:
        started.remove_all()


def test_every_replica_is_ready(replicas: list[str]) -> None:
    statuses = [httpx2.get(f"{url}/health/ready", timeout=10).status_code for url in replicas]
    assert statuses == [200] * REPLICAS


def test_ticket_created_on_one_replica_reads_back_on_the_other(replicas: list[str]) -> None:
    first, second = replicas
    headers = api.technician(first, "replicas@example.com")
    ticket = api.create_ticket(first, headers)
    response = api.read_ticket(second, headers, ticket["id"])
    assert (response.status_code, response.json()) == (200, ticket)
