"""What lesson 10 says of compose.yaml and .env.example, checked on the files."""

from __future__ import annotations

import re
from typing import Any

import pytest
import yaml

from tests.lessons.lesson_10_containers.recipes import ROOT

VARIABLE = re.compile(r"\$\{(\w+)(:?[?-])?([^}]*)\}")


@pytest.fixture(scope="module")
def services() -> dict[str, Any]:
    compose: dict[str, Any] = yaml.safe_load((ROOT / "compose.yaml").read_text())
    return dict(compose["services"])


def env_example() -> dict[str, str]:
    lines = (ROOT / ".env.example").read_text().splitlines()
    pairs = [line.split("=", 1) for line in lines if line.strip() and not line.startswith("#")]
    return {name.strip(): value.strip() for name, value in pairs}


def test_database_is_probed_with_pg_isready_over_tcp(services: dict[str, Any]) -> None:
    probe = services["db"]["healthcheck"]["test"]
    assert probe[:2] == ["CMD", "pg_isready"]
    assert "--host=127.0.0.1" in probe


def test_database_keeps_its_data_on_a_named_volume(services: dict[str, Any]) -> None:
    compose = yaml.safe_load((ROOT / "compose.yaml").read_text())
    assert services["db"]["volumes"] == ["db-data:/var/lib/postgresql/data"]
    assert "db-data" in compose["volumes"]


def test_migration_is_a_one_off_service(services: dict[str, Any]) -> None:
    migrate = services["migrate"]
    assert migrate["command"] == ["python", "-m", "final_app", "migrate"]
    assert migrate["restart"] == "no"
    assert migrate["depends_on"] == {"db": {"condition": "service_healthy"}}


def test_app_starts_after_a_healthy_database_and_a_finished_migration(
    services: dict[str, Any],
) -> None:
    assert services["app"]["depends_on"] == {
        "db": {"condition": "service_healthy"},
        "migrate": {"condition": "service_completed_successfully"},
    }


def test_migration_and_app_share_one_image_and_configuration(services: dict[str, Any]) -> None:
    migrate, app = services["migrate"], services["app"]
    assert (migrate["image"], migrate["environment"]) == (app["image"], app["environment"])


def with_defaults(text: str) -> str:
    """The text with every `${VAR:-default}` replaced by its default, as an empty .env would."""
    return VARIABLE.sub(lambda match: match[3] if match[2] == ":-" else "", text)


def test_published_ports_are_on_loopback_by_default(services: dict[str, Any]) -> None:
    ports = [port for service in services.values() for port in service.get("ports", [])]
    # One published port: the proxy's, in front of the app's replicas (lesson 11).
    assert [with_defaults(port) for port in ports] == ["127.0.0.1:8000:80"]


def test_env_example_publishes_on_loopback() -> None:
    assert env_example()["REPAIRDESK_BIND"].startswith("127.0.0.1:")


def test_secrets_have_no_default_in_compose() -> None:
    secrets = [
        (name, operator)
        for name, operator, _ in VARIABLE.findall((ROOT / "compose.yaml").read_text())
        if "SECRET" in name or "PASSWORD" in name
    ]
    assert secrets
    assert all(operator in ("", ":?") for _, operator in secrets)


def test_env_example_names_every_variable_compose_reads() -> None:
    names = {name for name, _, _ in VARIABLE.findall((ROOT / "compose.yaml").read_text())}
    assert names <= env_example().keys()


def test_env_example_holds_no_secret() -> None:
    secrets = {
        name: value
        for name, value in env_example().items()
        if "SECRET" in name or "PASSWORD" in name
    }
    assert secrets
    assert set(secrets.values()) == {""}
