"""A thin, typed wrapper around a container engine's command line (docker, or podman).

The engine and its extra flags come from the environment, so the same tests run with plain
Docker on a laptop and with whatever a CI machine needs:

    CONTAINER_ENGINE       docker (the default) or podman
    CONTAINER_BUILD_FLAGS  extra flags for `build` (default: none)
    CONTAINER_RUN_FLAGS    extra flags for `run` (default: none)
"""

from __future__ import annotations

import os
import shlex
import shutil
import subprocess
import time
from dataclasses import dataclass, field

import httpx2


class EngineError(RuntimeError):
    """A container command failed; the message carries its output."""


@dataclass(frozen=True)
class Engine:
    command: str = "docker"
    build_flags: tuple[str, ...] = ()
    run_flags: tuple[str, ...] = ()

    @classmethod
    def from_environment(cls) -> Engine:
        return cls(
            command=os.environ.get("CONTAINER_ENGINE") or "docker",
            build_flags=tuple(shlex.split(os.environ.get("CONTAINER_BUILD_FLAGS", ""))),
            run_flags=tuple(shlex.split(os.environ.get("CONTAINER_RUN_FLAGS", ""))),
        )

    def unavailable_reason(self) -> str | None:
        """Why this engine cannot run containers here, or None when it can."""
        if shutil.which(self.command) is None:
            return f"{self.command!r} is not installed"
        try:
            info = subprocess.run(
                [self.command, "info"], capture_output=True, text=True, timeout=60, check=False
            )
        except subprocess.TimeoutExpired:
            return f"`{self.command} info` did not answer within 60 s"
        if info.returncode != 0:
            last_line = (info.stderr.strip().splitlines() or ["no output"])[-1]
            return f"`{self.command} info` failed: {last_line}"
        return None

    def __call__(self, *args: str, timeout: float = 120, check: bool = True) -> str:
        """Run `ENGINE ARGS...` and return its standard output."""
        result = subprocess.run(
            [self.command, *args], capture_output=True, text=True, timeout=timeout, check=False
        )
        if check and result.returncode != 0:
            raise EngineError(
                f"`{self.command} {shlex.join(args)}` exited with {result.returncode}\n"
                f"{result.stdout}\n{result.stderr}"
            )
        return result.stdout

    def logs(self, container: str) -> str:
        """What the container wrote, stdout and stderr interleaved as the engine stored them."""
        result = subprocess.run(
            [self.command, "logs", container],
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            timeout=60,
            check=False,
        )
        return result.stdout

    def run_flags_on_host_network(self) -> tuple[str, ...]:
        """The run flags with their network replaced by the host's (to reach its loopback)."""
        flags: list[str] = []
        skip_value = False
        for flag in self.run_flags:
            if skip_value:
                skip_value = False
            elif flag in ("--network", "--net"):
                skip_value = True
            elif not flag.startswith(("--network=", "--net=")):
                flags.append(flag)
        return (*flags, "--network", "host")


@dataclass
class Resources:
    """Every container and volume a test starts, removed at the end whatever happened."""

    engine: Engine
    containers: list[str] = field(default_factory=list)
    volumes: list[str] = field(default_factory=list)

    def container(self, name: str) -> str:
        self.containers.append(name)
        return name

    def volume(self, name: str) -> str:
        self.volumes.append(name)
        return name

    def remove_all(self) -> None:
        for name in reversed(self.containers):
            self.engine("rm", "--force", name, check=False)
        for name in reversed(self.volumes):
            self.engine("volume", "rm", "--force", name, check=False)


def wait_until_live(engine: Engine, container: str, base_url: str, timeout: float = 60) -> float:
    """Poll /health/live until it answers 200; return the seconds waited.

    The container's state is checked about once a second, not at every poll: a start-up
    measured this way is the app's, not the cost of asking the engine.
    """
    started = time.perf_counter()
    deadline = started + timeout
    next_state_check = started + 1
    while time.perf_counter() < deadline:
        try:
            if httpx2.get(f"{base_url}/health/live", timeout=1).status_code == 200:
                return time.perf_counter() - started
        except httpx2.TransportError:
            pass
        if time.perf_counter() >= next_state_check:
            state = engine("inspect", "--format", "{{.State.Status}}", container).strip()
            if state in ("exited", "dead", "stopped"):
                break
            next_state_check = time.perf_counter() + 1
        time.sleep(0.05)
    logs = engine.logs(container)
    raise EngineError(f"{container} never answered {base_url}/health/live\n{logs}")
