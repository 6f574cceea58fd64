"""compose.yaml, read as a compose implementation reads it: `<<` merges, then `${VARIABLES}`.

Lesson 11's container tests start the topology compose.yaml describes with the engine's own
commands (podman 4.3 cannot wait for `condition: service_healthy`), so they take every image,
command, environment, port and volume from this one file instead of repeating them.
`tests/lessons/lesson_11_scale/test_proxy.py` checks that a real compose implementation
reads the file the same way.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parents[2]
COMPOSE_FILE = ROOT / "compose.yaml"

# ${NAME}, ${NAME:-default}, ${NAME-default}, ${NAME:?error}, ${NAME?error}; `$$` is a `$`.
VARIABLE = re.compile(r"\$\$|\$\{(?P<name>\w+)(?:(?P<operator>:?[-?])(?P<argument>[^}]*))?\}")
DURATION = re.compile(r"(\d+(?:\.\d+)?)(ms|s|m|h)")
SECONDS = {"ms": 0.001, "s": 1.0, "m": 60.0, "h": 3600.0}


class MissingVariableError(ValueError):
    """A `${NAME:?message}` variable compose would refuse to run without."""


def interpolate(text: str, environment: Mapping[str, str]) -> str:
    """Substitute compose's variables in one string, as `docker compose` does."""

    def substitute(match: re.Match[str]) -> str:
        if match[0] == "$$":
            return "$"
        name, operator, argument = match["name"], match["operator"], match["argument"] or ""
        value = environment.get(name)
        unset_or_empty = not value if operator and operator.startswith(":") else value is None
        if operator in (":-", "-") and unset_or_empty:
            return argument
        if operator in (":?", "?") and unset_or_empty:
            raise MissingVariableError(f"{name}: {argument or 'required'}")
        return value or ""

    return VARIABLE.sub(substitute, text)


def resolve(value: Any, environment: Mapping[str, str]) -> Any:
    """Interpolate every string inside a parsed YAML value (keys stay as written)."""
    if isinstance(value, str):
        return interpolate(value, environment)
    if isinstance(value, list):
        return [resolve(item, environment) for item in value]
    if isinstance(value, dict):
        return {key: resolve(item, environment) for key, item in value.items()}
    return value


def seconds(duration: str) -> float:
    """A compose duration ("10s", "1m30s", "500ms") in seconds."""
    parts = DURATION.findall(duration)
    if not parts or "".join(number + unit for number, unit in parts) != duration:
        raise ValueError(f"not a compose duration: {duration!r}")
    return sum(float(number) * SECONDS[unit] for number, unit in parts)


@dataclass(frozen=True)
class Service:
    """What the tests need of one service, with every variable already substituted."""

    name: str
    image: str
    builds: bool  # `build:` is set: run the image the tests built from the Dockerfile
    environment: dict[str, str]
    command: list[str] | None  # None: the image's own CMD
    replicas: int
    ports: list[str]  # "HOST_ADDRESS:HOST_PORT:CONTAINER_PORT"
    volumes: list[str]  # "SOURCE:TARGET[:MODE]"; a relative SOURCE is relative to compose.yaml
    healthcheck: list[str] | None  # ["CMD", ...] or ["CMD-SHELL", "..."]
    stop_grace_period_s: float | None

    @classmethod
    def parse(cls, name: str, raw: dict[str, Any]) -> Service:
        environment = raw.get("environment") or {}
        if isinstance(environment, list):  # the other spelling: ["NAME=value", ...]
            environment = dict(item.split("=", 1) for item in environment)
        command = raw.get("command")
        grace = raw.get("stop_grace_period")
        return cls(
            name=name,
            image=raw["image"],
            builds="build" in raw,
            environment={key: str(value) for key, value in environment.items()},
            command=command.split() if isinstance(command, str) else command,
            replicas=int((raw.get("deploy") or {}).get("replicas", 1)),
            ports=list(raw.get("ports") or []),
            volumes=list(raw.get("volumes") or []),
            healthcheck=(raw.get("healthcheck") or {}).get("test"),
            stop_grace_period_s=seconds(grace) if grace else None,
        )


def load(environment: Mapping[str, str], path: Path = COMPOSE_FILE) -> dict[str, Service]:
    """The services of compose.yaml, as compose would run them with `environment` set."""
    raw: dict[str, Any] = yaml.safe_load(path.read_text())  # safe_load applies `<<` merges
    services = resolve(raw["services"], environment)
    return {name: Service.parse(name, service) for name, service in services.items()}
