"""The two things the browser tests look at, served on 127.0.0.1 for as long as a test needs them.

Both bind port 0 and read back the port the system chose, so two runs never collide and no
port is guessed.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import threading
import time
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

STARTUP_SECONDS = 30
UVICORN_ADDRESS = re.compile(r"Uvicorn running on (http://127\.0\.0\.1:\d+)")


class QuietHandler(SimpleHTTPRequestHandler):
    """Serves files like `python -m http.server`, without a log line per request."""

    def log_message(self, format: str, *args: Any) -> None:
        pass


@contextmanager
def static_site(directory: Path) -> Iterator[str]:
    """Serve a built site from a thread; yields its base URL, stops the server on exit."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), partial(QuietHandler, directory=directory))
    thread = threading.Thread(target=server.serve_forever, name="docs-site", daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


@contextmanager
def uvicorn_app(target: str, env: Mapping[str, str], log: Path) -> Iterator[str]:
    """Run `uvicorn target` in a child process; yields its base URL, stops it on exit.

    The log goes to a file (a pipe nobody drains would stall the server) and is shown when the
    server fails to start.
    """
    command = [sys.executable, "-m", "uvicorn", target, "--host", "127.0.0.1", "--port", "0"]
    with log.open("wb") as log_file:
        process = subprocess.Popen(
            command, env={**os.environ, **env}, stdout=log_file, stderr=subprocess.STDOUT
        )
    try:
        yield wait_for_address(process, log)
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def wait_for_address(process: subprocess.Popen[bytes], log: Path) -> str:
    deadline = time.monotonic() + STARTUP_SECONDS
    while time.monotonic() < deadline:
        found = UVICORN_ADDRESS.search(log.read_text(errors="replace"))
        if found:
            return found.group(1) + "/"
        if process.poll() is not None:
            break
        time.sleep(0.1)
    raise RuntimeError(f"uvicorn did not start within {STARTUP_SECONDS}s:\n{log.read_text()}")
