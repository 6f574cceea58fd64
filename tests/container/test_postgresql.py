"""Two replicas of the image behind one PostgreSQL: the app keeps no state of its own.

The containers share the host's network to reach the server on 127.0.0.1, in a database this
module creates and drops, so it never touches the database other suites use. Runs when
TEST_DATABASE_URL names a PostgreSQL server (as the final app's suite does).
"""

from __future__ import annotations

import os
import secrets
from collections.abc import Iterator

import httpx2
import pytest
from sqlalchemy import create_engine, make_url, text

from tests.container import api
from tests.container.conftest import unique_name
from tests.container.engine import Engine, Resources, free_port, wait_until_live

REPLICAS = 2


def run_sql(server_url: str, sql: str) -> None:
    # CREATE/DROP DATABASE cannot run inside a transaction.
    server = create_engine(server_url, isolation_level="AUTOCOMMIT")
    with server.connect() as connection:
        connection.execute(text(sql))
    server.dispose()


@pytest.fixture(scope="module")
def database_url() -> Iterator[str]:
    """A fresh database on the test server, dropped at the end with whatever is still connected."""
    server_url = os.environ.get("TEST_DATABASE_URL")
    if not server_url:
        pytest.skip("set TEST_DATABASE_URL=postgresql+psycopg://user@127.0.0.1:5432/db to run it")
    name = f"repairdesk_container_{secrets.token_hex(4)}"
    run_sql(server_url, f"CREATE DATABASE {name}")
    try:
        yield make_url(server_url).set(database=name).render_as_string(hide_password=False)
    finally:
        run_sql(server_url, f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


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
