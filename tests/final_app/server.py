"""A real uvicorn server in a subprocess, for the tests that need real concurrency.

Bounded in time and always stopped: the process runs in its own group, gets SIGTERM on the
way out, and SIGKILL if it has not stopped within five seconds.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx2

ROOT = Path(__file__).resolve().parents[2]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


@contextmanager
def running_server(
    database_url: str, secret_key: str, log_path: Path, *, start_timeout: float = 30.0
) -> Iterator[str]:
    """Serve `final_app.main:app` on a free port; yields its base URL once it is ready."""
    port = free_port()
    env = {
        **os.environ,
        "PYTHONPATH": str(ROOT),
        "REPAIRDESK_DATABASE_URL": database_url,
        "REPAIRDESK_SECRET_KEY": secret_key,
    }
    env.pop("REPAIRDESK_ADMIN_EMAIL", None)
    command = [sys.executable, "-m", "uvicorn", "final_app.main:app", "--port", str(port)]
    with log_path.open("wb") as log:
        process = subprocess.Popen(
            command, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
        )
    base_url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + start_timeout
        while True:
            if process.poll() is not None:
                raise RuntimeError(f"server exited: {log_path.read_text()[-2000:]}")
            try:
                if httpx2.get(f"{base_url}/health/ready", timeout=1).status_code == 200:
                    break
            except httpx2.TransportError:
                pass
            if time.monotonic() > deadline:
                raise RuntimeError(f"server not ready: {log_path.read_text()[-2000:]}")
            time.sleep(0.1)
        yield base_url
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=5)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait(timeout=5)
