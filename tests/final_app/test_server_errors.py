"""Errors against a real uvicorn: what only a server shows (connections, its own log).

A 422 for a non-finite number keeps the keep-alive connection open, and a bug is logged once:
Starlette's last-resort handler would log it, re-raise it, and have uvicorn log it again.
"""

from __future__ import annotations

import json
import socket
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import create_engine, text

from benchmarks import harness
from final_app.migrate import upgrade
from final_app.models import Role
from tests.final_app.conftest import TEST_SECRET_KEY, add_user, bearer

NAN_TICKET = b'{"customer_email": "a@example.com", "device_model": "Pixel", "estimated_cost": NaN}'


@pytest.fixture
def database_url(tmp_path: Path) -> str:
    """A migrated SQLite database of this module's own: the tests break it on purpose."""
    url = f"sqlite:///{tmp_path}/repairdesk.db"
    upgrade(url)
    return url


@pytest.fixture
def server(database_url: str) -> Iterator[harness.Server]:
    env = {"REPAIRDESK_DATABASE_URL": database_url, "REPAIRDESK_SECRET_KEY": TEST_SECRET_KEY}
    with harness.serve("final_app.main:app", env=env, ready_path="/health/ready") as server:
        yield server


@pytest.fixture
def admin_headers(database_url: str, password_hash: str) -> dict[str, str]:
    return bearer(add_user(database_url, "admin@example.com", Role.ADMIN, password_hash))


def exchange(connection: socket.socket, request: bytes) -> tuple[int, dict[str, str], Any]:
    """Send one HTTP/1.1 request on an open connection and read its response (JSON body)."""
    connection.sendall(request)
    reader = connection.makefile("rb")
    status_line = reader.readline()
    assert status_line, "the server closed the connection"
    headers: dict[str, str] = {}
    while (line := reader.readline().decode().strip()) != "":
        name, _, value = line.partition(":")
        headers[name.lower()] = value.strip()
    body = reader.read(int(headers["content-length"]))
    return int(status_line.split()[1]), headers, json.loads(body)


def request_bytes(method: str, path: str, headers: dict[str, str], body: bytes = b"") -> bytes:
    head = [f"{method} {path} HTTP/1.1", "Host: 127.0.0.1", f"Content-Length: {len(body)}"]
    head += [f"{name}: {value}" for name, value in headers.items()]
    return "\r\n".join(head).encode() + b"\r\n\r\n" + body


def test_a_non_finite_number_is_a_422_and_the_connection_serves_the_next_request(
    server: harness.Server, admin_headers: dict[str, str]
) -> None:
    json_headers = {**admin_headers, "Content-Type": "application/json"}
    with socket.create_connection((server.host, server.port), timeout=10) as connection:
        post = request_bytes("POST", "/api/v1/tickets", json_headers, NAN_TICKET)
        status, headers, body = exchange(connection, post)
        assert (status, headers["content-type"]) == (422, "application/json")
        assert body["detail"][0]["input"] == "NaN"
        status, _, body = exchange(connection, request_bytes("GET", "/health/live", {}))
        assert (status, body) == (200, {"status": "ok"})
    assert "Traceback" not in server.log()


def test_a_bug_is_a_json_500_and_one_traceback_in_the_log(
    server: harness.Server, database_url: str, admin_headers: dict[str, str]
) -> None:
    # Still at the head revision, so no migration is missing: the code has a bug.
    engine = create_engine(database_url)
    with engine.begin() as connection:
        connection.execute(text("DROP TABLE tickets"))
    engine.dispose()
    with socket.create_connection((server.host, server.port), timeout=10) as connection:
        status, headers, body = exchange(
            connection, request_bytes("GET", "/api/v1/tickets", admin_headers)
        )
    request_id = headers["x-request-id"]
    assert (status, headers["content-type"]) == (500, "application/json")
    assert body == {
        "detail": f"Internal server error; quote request id {request_id} when reporting it"
    }
    log = server.log()
    # One log record, its traceback printed once (two "Traceback" headers: the driver's
    # error, then SQLAlchemy's that wraps it), and no second copy from uvicorn.
    assert log.count(f"unhandled error in GET /api/v1/tickets (request id {request_id})") == 1
    assert log.count("sqlalchemy.exc.OperationalError: (sqlite3.OperationalError) no such") == 1
    assert "Exception in ASGI application" not in log
