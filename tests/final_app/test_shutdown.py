"""Shutdown: SIGTERM lets quick requests finish, and stops waiting for slow ones in time.

The server runs as the image runs it: the command and uvicorn's settings are read from the
Dockerfile's runtime stage, so this test and the image cannot disagree. Only the address
(loopback, a free port) and the database are the test's own.

An orchestrator sends SIGTERM, waits its grace period (Docker: 10 s unless told otherwise),
then SIGKILLs. A client that sends its body one byte at a time must not hold the server past it.
"""

from __future__ import annotations

import json
import signal
import socket
import time
from contextlib import AbstractContextManager, ExitStack, suppress
from http.client import HTTPResponse
from typing import Any

from benchmarks import harness
from final_app.config import Settings
from tests.final_app.conftest import TEST_SECRET_KEY
from tests.lessons.lesson_10_containers.recipes import ROOT, arguments, stages

DOCKER_STOP_TIMEOUT_S = 10  # `docker stop` and compose's default before SIGKILL
# The slow client announces the largest body the app accepts: a size limit bounds memory, not time.
LARGEST_BODY = Settings.model_fields["max_body_bytes"].default
TRICKLE_EVERY_S = 0.1


def serve_as_the_image(database_url: str) -> AbstractContextManager[harness.Server]:
    """uvicorn with the Dockerfile's CMD and its UVICORN_* settings, on loopback."""
    runtime = stages(ROOT / "Dockerfile")[-1]
    program, app, *uvicorn_args = json.loads(arguments(runtime, "CMD")[-1])
    assert program == "uvicorn"
    environment = dict(pair.split("=", 1) for pair in " ".join(arguments(runtime, "ENV")).split())
    uvicorn_settings = {
        name: value
        for name, value in environment.items()
        if name.startswith("UVICORN_") and name not in ("UVICORN_HOST", "UVICORN_PORT")
    }
    env = {
        **uvicorn_settings,
        "REPAIRDESK_DATABASE_URL": database_url,
        "REPAIRDESK_SECRET_KEY": TEST_SECRET_KEY,
    }
    return harness.serve(app, env=env, ready_path="/health/ready", uvicorn_args=uvicorn_args)


def begin_post(
    server: harness.Server, path: str, headers: dict[str, str], content_length: int
) -> socket.socket:
    """A POST whose headers are sent and whose body the app is now waiting for.

    `Expect: 100-continue` makes uvicorn answer `100 Continue` when the app starts reading
    the body: from then on the request is in flight.
    """
    lines = [
        f"POST {path} HTTP/1.1",
        f"Host: {server.host}:{server.port}",
        "Content-Type: application/json",
        f"Content-Length: {content_length}",
        "Expect: 100-continue",
        *(f"{name}: {value}" for name, value in headers.items()),
    ]
    sock = socket.create_connection((server.host, server.port), timeout=5)
    sock.sendall(("\r\n".join(lines) + "\r\n\r\n").encode())
    assert sock.recv(1024).startswith(b"HTTP/1.1 100 ")
    return sock


def wait_until_refusing_connections(server: harness.Server, timeout: float = 5) -> None:
    """Return once the server has closed its listening socket: its shutdown has begun."""
    deadline = time.monotonic() + timeout
    while harness.probe(server.host, server.port, "/health/live", timeout=1) is not None:
        assert time.monotonic() < deadline, "the server still accepts connections after SIGTERM"
        time.sleep(0.05)


def trickle_until_exit(sock: socket.socket, server: harness.Server, since: float) -> float:
    """Send one byte of body at a time until the server exits: the seconds since `since`.

    Gives up a little after Docker would have killed the server, so a failure ends too.
    """
    while server.process.poll() is None and time.monotonic() - since < DOCKER_STOP_TIMEOUT_S + 2:
        with suppress(OSError):  # once the server has closed the connection
            sock.sendall(b" ")  # whitespace: still valid JSON, whenever the body would end
        time.sleep(TRICKLE_EVERY_S)
    return time.monotonic() - since


def test_sigterm_completes_quick_requests_and_exits_despite_a_trickled_body(
    database_url: str, tech_headers: dict[str, str], valid_ticket: dict[str, Any]
) -> None:
    body = json.dumps(valid_ticket).encode()
    with serve_as_the_image(database_url) as server, ExitStack() as sockets:
        quick = sockets.enter_context(
            begin_post(server, "/api/v1/tickets", tech_headers, len(body))
        )
        # No credentials needed: FastAPI reads the body before anything checks them.
        slow = sockets.enter_context(begin_post(server, "/api/v1/tickets", {}, LARGEST_BODY))

        server.process.send_signal(signal.SIGTERM)
        signalled = time.monotonic()
        wait_until_refusing_connections(server)
        quick.sendall(body)
        response = HTTPResponse(quick)
        response.begin()
        created = json.loads(response.read())
        seconds = trickle_until_exit(slow, server, since=signalled)

    assert response.status == 201, created
    assert created["device_model"] == valid_ticket["device_model"]
    assert seconds < DOCKER_STOP_TIMEOUT_S, f"still serving {seconds:.1f} s after SIGTERM"
