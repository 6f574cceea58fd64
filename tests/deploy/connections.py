"""Connection arithmetic: every process that holds PostgreSQL connections, at its most, added up.

Each app process keeps a pool of REPAIRDESK_DB_THREADS connections (final_app/db.py sizes the
pool to its threads), the migration one. PostgreSQL refuses connections past
`max_connections` minus the slots it keeps for superusers (`superuser_reserved_connections`)
and for roles granted pg_use_reserved_connections (`reserved_connections`). The budgets are
read from the committed files, so a replica count or a pool raised in one place without the
other fails a test that shows the sum.
"""

from __future__ import annotations

import itertools
import math
import re
from dataclasses import dataclass
from typing import Any

import yaml

from final_app.config import Settings
from tests.deploy.manifests import (
    COMPOSE_FILE,
    Manifest,
    container_environment,
    dockerfile_env,
    only,
)

DB_THREADS = f"{Settings.model_config['env_prefix']}DB_THREADS"
# PostgreSQL's own defaults, used where the files configure nothing else.
POSTGRES_DEFAULTS = {
    "max_connections": 100,
    "superuser_reserved_connections": 3,
    "reserved_connections": 0,
}
MIGRATION_CONNECTIONS = 1  # final_app/migrations/env.py: one connection, NullPool


@dataclass(frozen=True)
class Budget:
    where: str
    app_processes: int
    processes_why: str
    connections_each: int
    connections_why: str
    migrations: int
    limits: dict[str, int]
    limits_why: str

    @property
    def used(self) -> int:
        return self.app_processes * self.connections_each + self.migrations * MIGRATION_CONNECTIONS

    @property
    def available(self) -> int:
        reserved = (
            self.limits["superuser_reserved_connections"] + self.limits["reserved_connections"]
        )
        return self.limits["max_connections"] - reserved

    @property
    def fits(self) -> bool:
        return self.used <= self.available

    def __str__(self) -> str:
        limits = self.limits
        reserve = f"{limits['superuser_reserved_connections']} superuser_reserved_connections"
        if limits["reserved_connections"]:
            reserve += f" - {limits['reserved_connections']} reserved_connections"
        verdict = "<=" if self.fits else "> (too many)"
        return (
            f"{self.where}: {self.app_processes} app processes ({self.processes_why})\n"
            f"  x {self.connections_each} connections each ({self.connections_why})\n"
            f"  + {self.migrations} x {MIGRATION_CONNECTIONS} migration connection\n"
            f"  = {self.used} {verdict} {self.available} = {limits['max_connections']} "
            f"max_connections - {reserve} ({self.limits_why})"
        )


def threads_from(value: Any, where: str) -> tuple[int, str]:
    """REPAIRDESK_DB_THREADS as the files set it, or the setting's default."""
    default = Settings.model_fields["db_threads"].default
    if value is None:
        return default, f"{DB_THREADS} unset: the setting's default"
    text = str(value)
    # compose: ${REPAIRDESK_DB_THREADS:-4} is 4 unless the shell says otherwise.
    variable = re.fullmatch(r"\$\{\w+:?-(\d+)\}", text)
    if variable:
        return int(variable[1]), f"{DB_THREADS}={text} in {where}"
    return int(text), f"{DB_THREADS}={text} in {where}"


def workers(command: list[str], environment: dict[str, Any]) -> int:
    """uvicorn processes in one container (`--workers N` or UVICORN_WORKERS), each with a pool."""
    for flag, value in itertools.pairwise(command):
        if flag == "--workers":
            return int(value)
    value = environment.get("UVICORN_WORKERS", dockerfile_env().get("UVICORN_WORKERS", 1))
    return int(value) if isinstance(value, (str, int)) else 1


def postgres_limits(arguments: list[str], where: str) -> tuple[dict[str, int], str]:
    """PostgreSQL's limits from its command line (`-c name=value`), else its defaults."""
    limits = dict(POSTGRES_DEFAULTS)
    configured = []
    for name, value in re.findall(r"(?:-c\s*|--)(\w+)=(\d+)", " ".join(arguments)):
        if name in limits:
            limits[name] = int(value)
            configured.append(name)
    why = f"set in {where}" if configured else "PostgreSQL's defaults"
    return limits, why


# --- compose.yaml -----------------------------------------------------------------------------


def environment_of(service: dict[str, Any]) -> dict[str, Any]:
    environment = service.get("environment") or {}
    if isinstance(environment, list):  # ["NAME=value", ...]
        return dict(item.split("=", 1) for item in environment if "=" in item)
    return dict(environment)


def as_list(command: Any) -> list[str]:
    if command is None:
        return []
    return command.split() if isinstance(command, str) else [str(part) for part in command]


def compose_budget() -> Budget:
    """compose.yaml's services: PostgreSQL, the migration and the app's replicas."""
    services: dict[str, dict[str, Any]] = yaml.safe_load(COMPOSE_FILE.read_text())["services"]
    databases = {
        n: s for n, s in services.items() if str(s.get("image", "")).startswith("postgres")
    }
    assert len(databases) == 1, f"expected one PostgreSQL service, found {sorted(databases)}"
    ((db_name, db),) = databases.items()
    limits, limits_why = postgres_limits(as_list(db.get("command")), f"compose.yaml's {db_name}")
    # The project's image: the services that build it (the app and the migration).
    ours = {n: s for n, s in services.items() if "build" in s}
    migrations = [n for n, s in ours.items() if "migrate" in as_list(s.get("command"))]
    apps = {n: s for n, s in ours.items() if n not in migrations}
    assert migrations, f"compose.yaml: no migration among {sorted(ours)}"
    assert apps, f"compose.yaml: no app among {sorted(ours)}"
    processes, connections, whys, threads_whys = 0, set(), [], set()
    for name, service in apps.items():
        deploy = service.get("deploy") or {}
        replicas = int(deploy.get("replicas", 1))
        update = deploy.get("update_config") or {}
        # start-first: a new container starts before the old one stops.
        surge = int(update.get("parallelism", 1)) if update.get("order") == "start-first" else 0
        each = workers(as_list(service.get("command")), environment_of(service))
        processes += (replicas + surge) * each
        whys.append(
            f"{name}: {replicas} replicas"
            + (f" + {surge} starting first" if surge else "")
            + (f", {each} uvicorn workers each" if each > 1 else "")
        )
        threads, why = threads_from(environment_of(service).get(DB_THREADS), "compose.yaml")
        connections.add(threads)
        threads_whys.add(why)
    assert len(connections) == 1, f"app services with different pools: {connections}"
    return Budget(
        where="compose.yaml",
        app_processes=processes,
        processes_why=", ".join(whys),
        connections_each=connections.pop(),
        connections_why="; ".join(sorted(threads_whys)),
        migrations=len(migrations),
        limits=limits,
        limits_why=limits_why,
    )


# --- deploy/k8s -------------------------------------------------------------------------------


def surge(value: int | str, replicas: int) -> int:
    """maxSurge as pods: a percentage of the replicas rounds up, as Kubernetes rounds it."""
    if isinstance(value, str) and value.endswith("%"):
        return math.ceil(replicas * int(value[:-1]) / 100)
    return int(value)


def kubernetes_budget(rendered: list[Manifest]) -> Budget:
    """The HPA's ceiling, plus what a rollout at that ceiling adds, plus the migration Job."""
    deployment, hpa = only(rendered, "Deployment"), only(rendered, "HorizontalPodAutoscaler")
    target = hpa["spec"]["scaleTargetRef"]
    assert (target["kind"], target["name"]) == ("Deployment", deployment["metadata"]["name"])
    ceiling = hpa["spec"]["maxReplicas"]
    strategy = deployment["spec"].get("strategy", {})
    rolling = strategy.get("rollingUpdate", {})
    surging = surge(rolling.get("maxSurge", "25%"), ceiling)
    # A replaced pod drains (preStop, then graceful shutdown) with its pool still open. With
    # minReadySeconds >= terminationGracePeriodSeconds, one batch has exited before the next
    # stops (tests/deploy/test_manifests.py checks it): at most one surge's worth drains.
    draining = surging
    (container,) = deployment["spec"]["template"]["spec"]["containers"]
    environment = container_environment(container, rendered)
    threads, threads_why = threads_from(environment.get(DB_THREADS), "deploy/k8s")
    command = as_list(container.get("command")) + as_list(container.get("args"))
    each = workers(command, environment)
    jobs = [
        m
        for m in rendered
        if m["kind"] == "Job"
        and "migrate" in as_list(m["spec"]["template"]["spec"]["containers"][0].get("command"))
    ]
    assert jobs, "deploy/k8s has no migration Job"
    migrations = sum(job["spec"].get("parallelism", 1) for job in jobs)
    postgres = [
        c
        for m in rendered
        if m["kind"] in ("StatefulSet", "Deployment")
        for c in m["spec"]["template"]["spec"]["containers"]
        if "postgres" in c["image"].rsplit("/", 1)[-1]
    ]
    if postgres:
        arguments = as_list(postgres[0].get("command")) + as_list(postgres[0].get("args"))
        limits, limits_why = postgres_limits(arguments, "deploy/k8s")
    else:
        limits, limits_why = dict(POSTGRES_DEFAULTS), "PostgreSQL's defaults: check your server's"
    return Budget(
        where="deploy/k8s",
        app_processes=(ceiling + surging + draining) * each,
        processes_why=(
            f"the HPA's maxReplicas {ceiling} + maxSurge {surging} during a rollout "
            f"+ {draining} draining" + (f", {each} uvicorn workers each" if each > 1 else "")
        ),
        connections_each=threads,
        connections_why=threads_why,
        migrations=migrations,
        limits=limits,
        limits_why=limits_why,
    )
