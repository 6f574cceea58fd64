"""compose.yaml's topology and nginx's configuration, checked on the files and by their tools.

The topology: a proxy, the app's replicas, a migration and PostgreSQL, with only the proxy
published. The proxy (deploy/nginx/repairdesk.conf): passive health checks, retries only
where a retry cannot create twice, the app's body limit, request ids, no /metrics. A compose
implementation (`podman-compose config`, or `docker compose config`) must read compose.yaml as
tests/support/compose.py does, and `nginx -t` must accept the configuration inside the very
image compose names. test_replicas.py and test_shutdown.py run it all.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from typing import Any

import pytest
import yaml

from final_app.config import Settings
from final_app.middleware import SAFE_REQUEST_ID
from tests.container.conftest import engine  # noqa: F401 (a fixture)
from tests.container.engine import Engine
from tests.support import compose
from tests.support.compose import ROOT, Service
from tests.support.requirements import require
from tests.support.topology import run_environment

NGINX_CONF = ROOT / "deploy" / "nginx" / "repairdesk.conf"
ENVIRONMENT = run_environment(8000)


@pytest.fixture(scope="module")
def services() -> dict[str, Service]:
    return compose.load(ENVIRONMENT)


@pytest.fixture(scope="module")
def nginx() -> str:
    """The configuration without its comments."""
    return re.sub(r"#[^\n]*", "", NGINX_CONF.read_text())


def directive(config: str, name: str) -> list[str]:
    """The arguments of every `name ...;` in the configuration."""
    found = re.finditer(rf"^\s*{name}\s+([^;{{}}]*);", config, re.M)
    return [match[1].strip() for match in found]


def location(config: str, match: str) -> str:
    """The body of `location MATCH { ... }`, up to the brace that closes it on its own line."""
    found = re.search(rf"location\s+{re.escape(match)}\s*\{{(.*?)\n\s*\}}", config, re.S)
    assert found, f"no `location {match}` block"
    return found[1]


# --- the topology ------------------------------------------------------------------------


def test_only_the_proxy_is_published_and_on_loopback_by_default(
    services: dict[str, Service],
) -> None:
    published = {name: service.ports for name, service in services.items() if service.ports}
    default = compose.load({**ENVIRONMENT, "REPAIRDESK_BIND": ""})["proxy"].ports
    assert published.keys() == {"proxy"}
    assert default == ["127.0.0.1:8000:80"]


def test_the_app_runs_as_several_replicas_of_one_image(services: dict[str, Service]) -> None:
    app, migrate = services["app"], services["migrate"]
    assert app.replicas >= 2
    assert (app.builds, app.image) == (migrate.builds, migrate.image)


def test_the_proxy_reads_the_projects_configuration_read_only(
    services: dict[str, Service],
) -> None:
    [mount] = services["proxy"].volumes
    source, target, mode = mount.split(":")
    assert (ROOT / source).resolve() == NGINX_CONF
    assert target.startswith("/etc/nginx/conf.d/")
    assert target.endswith(".conf")
    assert mode == "ro"
    assert services["proxy"].image.startswith("nginx:")


def test_a_stopping_replica_finishes_its_requests_before_the_engine_kills_it(
    services: dict[str, Service],
) -> None:
    dockerfile = (ROOT / "Dockerfile").read_text()
    graceful = re.search(r"UVICORN_TIMEOUT_GRACEFUL_SHUTDOWN=(\d+)", dockerfile)
    assert graceful
    assert services["app"].stop_grace_period_s
    assert int(graceful[1]) < services["app"].stop_grace_period_s


def compose_implementation() -> list[str]:
    """podman-compose where podman runs, else Docker's own compose."""
    if shutil.which("podman"):
        return [sys.executable, "-m", "podman_compose"]
    if shutil.which("docker"):
        return ["docker", "compose"]
    require(False, "Neither podman nor Docker is installed: no compose implementation to ask.")
    raise AssertionError("unreachable")


@pytest.mark.containers
def test_a_compose_implementation_reads_compose_yaml_as_the_tests_do(
    services: dict[str, Service],
) -> None:
    result = subprocess.run(
        [*compose_implementation(), "--file", str(compose.COMPOSE_FILE), "config"],
        capture_output=True, text=True, env=os.environ | ENVIRONMENT, timeout=120,
        check=False, cwd=ROOT,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    config: dict[str, Any] = yaml.safe_load(result.stdout)
    # What the tests start, as the implementation would start it.
    assert config["services"].keys() == services.keys()
    for name, service in config["services"].items():
        theirs = Service.parse(name, service)
        ours = services[name]
        assert (theirs.image, theirs.environment, theirs.command, theirs.replicas) == (
            ours.image, ours.environment, ours.command, ours.replicas,
        ), name  # fmt: skip


# --- the proxy ---------------------------------------------------------------------------


def test_the_proxy_sends_requests_to_the_compose_service_with_passive_health_checks(
    nginx: str,
) -> None:
    [server] = directive(nginx, "server")
    address, *parameters = server.split()
    assert address == "app:8000"  # the service's name, the port the image listens on
    assert any(p.startswith("max_fails=") for p in parameters)
    assert any(p.startswith("fail_timeout=") for p in parameters)
    assert re.search(r"^EXPOSE 8000$", (ROOT / "Dockerfile").read_text(), re.M)


def test_the_proxy_never_sends_a_create_twice(nginx: str) -> None:
    [conditions] = directive(nginx, "proxy_next_upstream")
    assert set(conditions.split()) == {"error", "timeout", "http_502", "http_503"}
    assert "non_idempotent" not in nginx
    assert directive(nginx, "proxy_next_upstream_tries") == ["2"]


def test_the_proxy_opens_a_new_connection_per_request(nginx: str) -> None:
    # An idle kept-alive connection the replica closes while nginx writes a POST into it
    # fails after the POST was sent: a 502 the proxy may not retry.
    assert directive(nginx, "keepalive") == []


def test_the_proxy_refuses_bodies_the_app_would_refuse(nginx: str) -> None:
    [size] = directive(nginx, "client_max_body_size")
    size_and_unit = re.fullmatch(r"(\d+)([kKmM]?)", size)
    assert size_and_unit is not None, f"client_max_body_size {size} is not nginx's syntax"
    number, unit = size_and_unit.groups()
    limit = int(number) * {"": 1, "k": 1024, "m": 1024 * 1024}[unit.lower()]
    assert limit == Settings.model_fields["max_body_bytes"].default


def test_the_proxy_keeps_request_ids_the_app_keeps(nginx: str) -> None:
    pattern = re.search(r'"~\^(.*)\$"\s+\$http_x_request_id;', nginx)
    assert pattern
    assert pattern[1] == SAFE_REQUEST_ID.pattern
    assert "X-Request-ID $repairdesk_request_id" in " ".join(directive(nginx, "proxy_set_header"))


def test_the_proxy_tells_the_app_who_asked(nginx: str) -> None:
    headers = dict(value.split(None, 1) for value in directive(nginx, "proxy_set_header"))
    assert headers.keys() >= {"Host", "X-Forwarded-For", "X-Forwarded-Proto", "X-Request-ID"}


def test_metrics_are_not_reachable_through_the_proxy(nginx: str) -> None:
    for match in ("= /metrics", "^~ /metrics/"):
        assert re.search(r"^\s*return 404\b", location(nginx, match), re.M), match


@pytest.mark.containers
def test_nginx_accepts_the_configuration_in_the_image_compose_names(
    engine: Engine,  # noqa: F811 (the fixture imported above)
    services: dict[str, Service],
) -> None:
    proxy = services["proxy"]
    [mount] = proxy.volumes
    source, target, mode = mount.split(":")
    # `app` must resolve for nginx to start: any address will do for a syntax check.
    # A failing `nginx -t` exits non-zero, and the engine's error carries its output.
    engine(
        "run", "--rm", *engine.run_flags_on_host_network(), "--add-host", "app:127.0.0.1",
        "--volume", f"{(ROOT / source).resolve()}:{target}:{mode}", proxy.image, "nginx", "-t",
    )  # fmt: skip
