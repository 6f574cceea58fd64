"""Lesson 11's health probes, kept by the final app: live, ready, and not ready while draining.

`/health/live` answers while the process runs; `/health/ready` answers 200 only when the
database answers and is migrated to the code's revision (or past it, by the next release's
migration), and 503 from the moment SIGTERM arrives: a proxy or an orchestrator then sends
new work to another replica while this one finishes what it has. The SIGTERM handler is
tested in this process (a real signal, the lifespan in the main thread) and in a real uvicorn
server.

The conftest gives `build_app(**settings)` and the app's package (`app_package`): its
migrations, its migrate command, and what uvicorn serves.
"""

from __future__ import annotations

import asyncio
import json
import shutil
import signal
import socket
import time
import uuid
from collections.abc import Callable, Iterator
from importlib import import_module
from pathlib import Path
from types import FrameType
from typing import Any

import pytest
from alembic import command
from alembic.script import ScriptDirectory
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import create_engine, text

from benchmarks import harness
from tests.support.database import throwaway_postgresql_database

DRAINING = "The server is shutting down: send new requests to another replica"
WAIT = 10.0  # seconds; what the real-server tests wait for takes a fraction of one


def test_live_is_200(client: TestClient) -> None:
    response = client.get("/health/live")
    assert (response.status_code, response.json()) == (200, {"status": "ok"})


def test_ready_is_200_when_the_database_answers(client: TestClient) -> None:
    response = client.get("/health/ready")
    assert (response.status_code, response.json()) == (200, {"status": "ok"})


@pytest.mark.parametrize(
    "unreachable",
    [
        "sqlite:///{tmp_path}/no/such/dir/repairdesk.db",
        "postgresql+psycopg://postgres@127.0.0.1:1/repairdesk",  # nothing listens on port 1
    ],
)
def test_ready_is_503_when_the_database_does_not_answer(
    unreachable: str, tmp_path: Path, build_app: Callable[..., FastAPI]
) -> None:
    with TestClient(build_app(database_url=unreachable.format(tmp_path=tmp_path))) as client:
        response = client.get("/health/ready")
        live = client.get("/health/live")
    assert response.status_code == 503
    assert response.json() == {"detail": "The database does not answer"}
    assert live.status_code == 200


# --- not migrated -----------------------------------------------------------------------------


@pytest.fixture
def empty_postgresql_url() -> Iterator[str]:
    with throwaway_postgresql_database("probes") as url:
        yield url


def revision_before_head(app_package: str) -> str:
    """The revision one migration short of the head, read from the app's scripts."""
    scripts = ScriptDirectory(str(import_module(f"{app_package}.migrate").MIGRATIONS_DIR))
    [head] = scripts.get_heads()
    previous = scripts.get_revision(head).down_revision
    assert isinstance(previous, str), "one migration only: no older revision to stop at"
    return previous


def assert_not_ready_until_migrated(
    app: FastAPI, app_package: str, at_revision: str = "none"
) -> None:
    with TestClient(app) as client:
        response = client.get("/health/ready")
    assert response.status_code == 503
    detail = response.json()["detail"]
    assert detail.startswith(f"The database is not migrated (at revision {at_revision},")
    assert detail.endswith(f"run `python -m {app_package} migrate`")


def test_ready_is_503_naming_the_fix_on_an_unmigrated_sqlite_database(
    tmp_path: Path, build_app: Callable[..., FastAPI], app_package: str
) -> None:
    app = build_app(database_url=f"sqlite:///{tmp_path}/empty.db")
    assert_not_ready_until_migrated(app, app_package)


def test_ready_is_503_naming_the_fix_on_an_unmigrated_postgresql_database(
    empty_postgresql_url: str, build_app: Callable[..., FastAPI], app_package: str
) -> None:
    assert_not_ready_until_migrated(build_app(database_url=empty_postgresql_url), app_package)


@pytest.mark.parametrize("backend", ["sqlite", "postgresql"])
def test_ready_is_503_on_a_database_one_migration_behind(
    backend: str,
    tmp_path: Path,
    request: pytest.FixtureRequest,
    build_app: Callable[..., FastAPI],
    app_package: str,
) -> None:
    url = (
        f"sqlite:///{tmp_path}/behind.db"
        if backend == "sqlite"
        else request.getfixturevalue("empty_postgresql_url")
    )
    previous = revision_before_head(app_package)
    import_module(f"{app_package}.migrate").upgrade(url, previous)
    assert_not_ready_until_migrated(build_app(database_url=url), app_package, previous)


# --- ahead: the next release migrated first ---------------------------------------------------

# The next release's expand step: a table this code does not know, and ignores.
NEXT_RELEASE_MIGRATION = """\
import sqlalchemy as sa
from alembic import op

revision = "{revision}"
down_revision = "{head}"


def upgrade() -> None:
    op.create_table("shop_notes", sa.Column("id", sa.Integer(), primary_key=True))
"""


def migrate_as_the_next_release(url: str, app_package: str, tmp_path: Path) -> str:
    """Upgrade with the app's migrations and one more, as the next release's job does; its id."""
    migrate = import_module(f"{app_package}.migrate")
    scripts = tmp_path / "next_release_migrations"
    shutil.copytree(migrate.MIGRATIONS_DIR, scripts, ignore=shutil.ignore_patterns("__pycache__"))
    [head] = ScriptDirectory(str(migrate.MIGRATIONS_DIR)).get_heads()
    # New for each test: the app warns once per process for each revision it does not know.
    revision = uuid.uuid4().hex[:12]
    (scripts / "versions" / f"{revision}_shop_notes.py").write_text(
        NEXT_RELEASE_MIGRATION.format(revision=revision, head=head)
    )
    config = migrate.alembic_config(url)
    config.set_main_option("script_location", str(scripts))
    command.upgrade(config, "head")
    return revision


@pytest.mark.parametrize("backend", ["sqlite", "postgresql"])
def test_ready_is_200_on_a_database_the_next_release_migrated_with_one_warning(
    backend: str,
    tmp_path: Path,
    request: pytest.FixtureRequest,
    build_app: Callable[..., FastAPI],
    app_package: str,
    caplog: pytest.LogCaptureFixture,
) -> None:
    """The release's migration runs before its replicas start: the old ones must stay ready."""
    url = (
        f"sqlite:///{tmp_path}/ahead.db"
        if backend == "sqlite"
        else request.getfixturevalue("empty_postgresql_url")
    )
    revision = migrate_as_the_next_release(url, app_package, tmp_path)
    caplog.set_level("WARNING", logger=f"{app_package}.api.health")
    with TestClient(build_app(database_url=url)) as client:
        probes = [client.get("/health/ready") for _ in range(2)]
    assert [(probe.status_code, probe.json()) for probe in probes] == [(200, {"status": "ok"})] * 2
    warnings = [
        (record.name, record.levelname)
        for record in caplog.records
        if revision in record.getMessage()
    ]
    assert warnings == [(f"{app_package}.api.health", "WARNING")]  # once, not at every probe


# --- draining ---------------------------------------------------------------------------------


# --8<-- [start:draining]
def test_ready_is_503_once_draining_has_begun_while_live_stays_200(
    client: TestClient, app: FastAPI
) -> None:
    assert client.get("/health/ready").status_code == 200
    app.state.draining.begin()
    response = client.get("/health/ready")
    assert (response.status_code, response.json()) == (503, {"detail": DRAINING})
    assert client.get("/health/live").status_code == 200


def test_sigterm_begins_draining_then_reaches_the_servers_own_handler(app: FastAPI) -> None:
    """A real SIGTERM, with the lifespan in the main thread, where a server runs it."""
    servers_handler_got: list[int] = []

    def servers_handler(signum: int, _: FrameType | None) -> None:  # uvicorn's, in production
        servers_handler_got.append(signum)

    async def run_the_lifespan_and_signal() -> None:
        async with app.router.lifespan_context(app):
            assert not app.state.draining.begun
            signal.raise_signal(signal.SIGTERM)
            assert app.state.draining.begun

    previous = signal.signal(signal.SIGTERM, servers_handler)
    try:
        asyncio.run(run_the_lifespan_and_signal())
        assert signal.getsignal(signal.SIGTERM) is servers_handler  # put back at shutdown
    finally:
        signal.signal(signal.SIGTERM, previous)
    assert servers_handler_got == [signal.SIGTERM]


# --8<-- [end:draining]


def server_env(database_url: str) -> dict[str, str]:
    return {
        "REPAIRDESK_DATABASE_URL": database_url,
        "REPAIRDESK_SECRET_KEY": "test-secret-key-that-is-long-enough-for-hs256",
    }


def wait_for(condition: Callable[[], bool], what: str) -> None:
    deadline = time.monotonic() + WAIT
    while not condition():
        assert time.monotonic() < deadline, f"still not {what} after {WAIT} s"
        time.sleep(0.02)


def test_uvicorn_drains_on_sigterm_and_still_shuts_down(
    database_url: str, app_package: str
) -> None:
    with harness.serve(
        f"{app_package}.main:app", env=server_env(database_url), ready_path="/health/ready"
    ) as server:
        server.process.send_signal(signal.SIGTERM)
        server.process.wait(timeout=WAIT)
        log = server.log()
    assert "SIGTERM: draining, readiness now answers 503" in log
    assert "Finished server process" in log  # uvicorn's own shutdown ran to its end


def begin_get(server: harness.Server, path: str) -> socket.socket:
    sock = socket.create_connection((server.host, server.port), timeout=WAIT)
    sock.sendall(f"GET {path} HTTP/1.1\r\nHost: {server.host}\r\n\r\n".encode())
    return sock


def read_response(sock: socket.socket) -> tuple[int, Any]:
    reader = sock.makefile("rb")
    status = int(reader.readline().split()[1])
    headers = {}
    while (line := reader.readline().decode().strip()) != "":
        name, _, value = line.partition(":")
        headers[name.lower()] = value.strip()
    return status, json.loads(reader.read(int(headers["content-length"])))


def test_a_readiness_check_in_flight_when_sigterm_arrives_answers_503(
    empty_postgresql_url: str, app_package: str
) -> None:
    """On PostgreSQL, where a lock can hold the check in flight: the answer comes after SIGTERM."""
    import_module(f"{app_package}.migrate").upgrade(empty_postgresql_url)
    locker = create_engine(empty_postgresql_url)
    with (
        harness.serve(
            f"{app_package}.main:app",
            env=server_env(empty_postgresql_url),
            ready_path="/health/ready",
        ) as server,
        locker.connect() as connection,
    ):
        # The readiness check reads alembic_version: locked, it waits inside the server.
        connection.execute(text("LOCK TABLE alembic_version IN ACCESS EXCLUSIVE MODE"))
        waiting = text(
            "SELECT count(*) FROM pg_locks WHERE NOT granted"
            " AND relation = 'alembic_version'::regclass"
        )
        with begin_get(server, "/health/ready") as sock:
            wait_for(lambda: connection.execute(waiting).scalar() == 1, "waiting for the lock")
            server.process.send_signal(signal.SIGTERM)
            wait_for(lambda: "SIGTERM: draining" in server.log(), "draining")
            connection.rollback()  # the check goes on, and answers
            status, body = read_response(sock)
        server.process.wait(timeout=WAIT)
    locker.dispose()
    assert (status, body) == (503, {"detail": DRAINING})
