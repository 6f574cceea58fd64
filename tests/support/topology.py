"""compose.yaml's topology, started for real, one step at a time, with the engine's commands.

`docker compose up` would start the database, wait until it is healthy, run the migration, then
the app's replicas and the proxy. podman 4.3 cannot wait for `condition: service_healthy`, so
`start()` takes the same steps itself, in that order, on a network of its own:

1. a network, so that containers reach each other by service name (`db`, `app`), as in compose;
2. PostgreSQL, until compose's own health check (`pg_isready`) passes inside it;
3. the migration, to completion;
4. the app's replicas (`deploy.replicas`), until each passes the image's HEALTHCHECK;
5. the proxy, published on loopback, until the app answers `/health/ready` through it.

Images, commands, environment, volumes, ports and grace periods all come from compose.yaml
(`tests/support/compose.py`); only the secrets and the published port are made up for the run.
A service that compose builds (`build: .`) runs the image the tests built from the Dockerfile.
Every container, volume and network is named after the run and removed at the end.
"""

from __future__ import annotations

import json
import re
import secrets
import shlex
import time
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field

import httpx2

from benchmarks.harness import free_port
from tests.container.conftest import IMAGE, timed_build
from tests.container.engine import Engine, EngineError
from tests.support import compose
from tests.support.compose import Service


def run_flags_on(engine: Engine, network: str) -> tuple[str, ...]:
    """The engine's run flags with their network replaced by `network`."""
    host_flags = engine.run_flags_on_host_network()  # ..., "--network", "host"
    return (*host_flags[:-2], "--network", network)


def run_environment(bind_port: int) -> dict[str, str]:
    """The variables compose.yaml asks for (.env.example names them), made up for one run."""
    return {
        "POSTGRES_PASSWORD": secrets.token_urlsafe(24),
        "REPAIRDESK_SECRET_KEY": secrets.token_urlsafe(48),
        "REPAIRDESK_ADMIN_EMAIL": "admin@example.com",
        "REPAIRDESK_ADMIN_PASSWORD": secrets.token_urlsafe(18),
        "REPAIRDESK_BIND": f"127.0.0.1:{bind_port}",
    }


@dataclass
class Topology:
    """A running copy of compose.yaml's services; the names of what it started."""

    engine: Engine
    image: str
    services: dict[str, Service]
    run: str = field(default_factory=lambda: f"repairdesk-{secrets.token_hex(3)}")
    containers: list[str] = field(default_factory=list)
    volumes: list[str] = field(default_factory=list)
    networks: list[str] = field(default_factory=list)
    replicas: list[str] = field(default_factory=list)
    proxy: str = ""
    proxy_url: str = ""
    timings: dict[str, float] = field(default_factory=dict)

    @property
    def network(self) -> str:
        return f"{self.run}-net"

    @property
    def db(self) -> str:
        return self.container_name("db")

    def container_name(self, service: str, index: int = 1) -> str:
        return f"{self.run}-{service}-{index}"  # compose's own pattern: PROJECT-SERVICE-N

    def admin_credentials(self) -> tuple[str, str]:
        """The admin account compose makes the app create at start-up."""
        environment = self.services["app"].environment
        return environment["REPAIRDESK_ADMIN_EMAIL"], environment["REPAIRDESK_ADMIN_PASSWORD"]

    # --- starting ------------------------------------------------------------------------

    def run_service(self, service: Service, index: int = 1, *, detach: bool = True) -> str:
        """`run` one container of `service` as compose would: alias, environment, volumes."""
        name = self.container_name(service.name, index)
        self.containers.append(name)
        arguments = ["run", "--name", name, *run_flags_on(self.engine, self.network)]
        arguments += ["--network-alias", service.name]
        for key, value in service.environment.items():
            arguments += ["--env", f"{key}={value}"]
        for volume in service.volumes:
            arguments += ["--volume", self.volume_argument(volume)]
        for port in service.ports:
            arguments += ["--publish", port]
        if service.stop_grace_period_s is not None:
            arguments += ["--stop-timeout", str(round(service.stop_grace_period_s))]
        if detach:
            arguments.append("--detach")
        arguments.append(self.image if service.builds else service.image)
        arguments += service.command or []
        self.engine(*arguments, timeout=300)
        return name

    def volume_argument(self, volume: str) -> str:
        """A bind mount relative to compose.yaml made absolute; a named volume made unique."""
        source, rest = volume.split(":", 1)
        if source.startswith((".", "/")):
            return f"{(compose.COMPOSE_FILE.parent / source).resolve()}:{rest}"
        name = f"{self.run}-{source}"
        self.volumes.append(name)
        return f"{name}:{rest}"

    def start(self) -> None:
        """Start every service in compose's order, each once the previous one is ready."""
        self.engine("network", "create", self.network)
        self.networks.append(self.network)

        with self.timed("database_ready_s"):
            db = self.run_service(self.services["db"])
            self.wait_for_health_check(db, self.services["db"].healthcheck)
        with self.timed("migration_s"):
            self.run_service(self.services["migrate"], detach=False)
        with self.timed("replicas_live_s"):
            app = self.services["app"]
            self.replicas = [self.run_service(app, i) for i in range(1, app.replicas + 1)]
            for replica in self.replicas:
                self.wait_for_health_check(replica, self.image_health_check())
        with self.timed("proxy_ready_s"):
            proxy = self.services["proxy"]
            self.proxy = self.run_service(proxy)
            host_address, host_port, _ = proxy.ports[0].rsplit(":", 2)
            self.proxy_url = f"http://{host_address}:{host_port}"
            self.wait_until_ready_through_proxy()

    def add_replica(self) -> str:
        """One more replica, live. The proxy does not know it: nginx resolved `app` at start."""
        replica = self.run_service(self.services["app"], len(self.replicas) + 1)
        self.replicas.append(replica)
        self.wait_for_health_check(replica, self.image_health_check())
        return replica

    def run_on_network(self, name: str, *command: str) -> str:
        """A helper container on the topology's network, from the app's image (it has Python)."""
        name = f"{self.run}-{name}"
        self.containers.append(name)
        network_flags = run_flags_on(self.engine, self.network)
        self.engine("run", "--detach", "--name", name, *network_flags, self.image, *command)
        return name

    @contextmanager
    def timed(self, key: str) -> Iterator[None]:
        started = time.perf_counter()
        yield
        self.timings[key] = round(time.perf_counter() - started, 2)

    def image_health_check(self) -> list[str]:
        """The Dockerfile's HEALTHCHECK, as the built image carries it."""
        config = self.engine(
            "image", "inspect", "--format", "{{json .Config.Healthcheck}}", self.image
        )
        test: list[str] = json.loads(config)["Test"]
        return test

    def wait_for_health_check(
        self, container: str, test: list[str] | None, timeout: float = 90
    ) -> None:
        """Run a compose or Dockerfile health check inside `container` until it passes.

        Timed health checks need systemd under podman, which these machines lack; running
        the check's command is what the engine would do on each tick.
        """
        assert test, f"{container} has no health check"
        assert test[0] in ("CMD", "CMD-SHELL"), f"not a health check command: {test}"
        command = test[1:] if test[0] == "CMD" else ["/bin/sh", "-c", test[1]]
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            with suppress(EngineError):
                self.engine("exec", container, *command, timeout=30)
                return
            if self.state(container) in ("exited", "stopped", "dead"):
                break
            time.sleep(0.5)
        raise EngineError(
            f"{container}: `{shlex.join(command)}` never passed\n{self.engine.logs(container)}"
        )

    def wait_until_ready_through_proxy(self, timeout: float = 60) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            with suppress(httpx2.TransportError):
                if httpx2.get(f"{self.proxy_url}/health/ready", timeout=2).status_code == 200:
                    return
            time.sleep(0.2)
        raise EngineError(f"{self.proxy_url}/health/ready never answered 200\n{self.logs()}")

    # --- looking inside ------------------------------------------------------------------

    def state(self, container: str) -> str:
        return self.engine("inspect", "--format", "{{.State.Status}}", container).strip()

    def image_environment(self) -> dict[str, str]:
        """The ENV the Dockerfile bakes into the image (UVICORN_* settings among them)."""
        pairs = json.loads(
            self.engine("image", "inspect", "--format", "{{json .Config.Env}}", self.image)
        )
        return dict(pair.split("=", 1) for pair in pairs)

    def exit_code(self, container: str) -> int:
        return int(self.engine("inspect", "--format", "{{.State.ExitCode}}", container))

    def address(self, container: str) -> str:
        """The container's address on the topology's network (as nginx's log shows it)."""
        return self.engine(
            "inspect", "--format",
            f'{{{{(index .NetworkSettings.Networks "{self.network}").IPAddress}}}}', container,
        ).strip()  # fmt: skip

    def psql(self, sql: str) -> list[list[str]]:
        """Run one query in the database container, as the app's own role; rows of text."""
        db = self.services["db"].environment
        output = self.engine(
            "exec", self.db, "psql", "--username", db["POSTGRES_USER"], "--dbname",
            db["POSTGRES_DB"], "--no-align", "--tuples-only", "--field-separator=\t",
            "--set", "ON_ERROR_STOP=1", "--command", sql,
        )  # fmt: skip
        return [line.split("\t") for line in output.splitlines() if line]

    def tickets_marked(self, prefix: str) -> list[tuple[str, int]]:
        """(notes, id) of every ticket whose notes start with `prefix`, asked of PostgreSQL."""
        assert re.fullmatch(r"[\w-]+", prefix)  # made by the tests: safe inside the SQL text
        sql = f"SELECT notes, id FROM tickets WHERE notes LIKE '{prefix}-%'"  # noqa: S608
        return [(notes, int(ticket_id)) for notes, ticket_id in self.psql(sql)]

    def logs(self) -> str:
        return "\n".join(f"--- {name}\n{self.engine.logs(name)}" for name in self.containers)

    # --- stopping ------------------------------------------------------------------------

    def remove_all(self) -> None:
        for name in reversed(self.containers):
            # kill first: `rm --force` alone would give each replica its grace period
            self.engine("kill", name, check=False)
            self.engine("rm", "--force", name, check=False)
        for name in self.volumes:
            self.engine("volume", "rm", "--force", name, check=False)
        for name in self.networks:
            self.engine("network", "rm", name, check=False)


@contextmanager
def running_topology(
    engine: Engine, image: str, environment: dict[str, str] | None = None
) -> Iterator[Topology]:
    """compose.yaml's services, started step by step, removed when the block ends.

    `environment` sets some of the variables compose.yaml asks for instead of making them up
    (a benchmark signs its tokens with a key of its own, say).
    """
    services = compose.load({**run_environment(free_port()), **(environment or {})})
    topology = Topology(engine, image, services)
    try:
        topology.start()
        yield topology
    finally:
        topology.remove_all()


def build_image(engine: Engine) -> str:
    """The project's image, built from the Dockerfile as the container tests build it."""
    timed_build(engine)
    return IMAGE
