"""Checks `compose.yaml` by reading it: healthcheck, start order, password, published port.

--8<-- [start:hint]
Under `db:`, `healthcheck:` takes `test: ["CMD", "pg_isready", "--username=repairdesk"]`
(plus `interval`, `retries`). Under `app:`, the list form of `depends_on` only waits for the
container; the mapping form waits for a condition: `depends_on:` / `db:` / `condition:
service_healthy`. Compose replaces `${POSTGRES_PASSWORD:?message}` with the environment
variable and stops with the message when it is not set. A port written `"127.0.0.1:8000:8000"`
is published on the loopback interface only. The repository's `compose.yaml` does all four.
--8<-- [end:hint]
"""

from pathlib import Path
from typing import Any

import pytest
import yaml

PASSWORD_REFERENCE = "${POSTGRES_PASSWORD"  # noqa: S105 (a variable reference, not a secret)


@pytest.fixture
def compose_file(path: Path) -> Path:
    found = path / "compose.yaml"
    assert found.exists(), f"there is no compose.yaml in {path}"
    return found


@pytest.fixture
def services(compose_file: Path) -> dict[str, Any]:
    try:
        document = yaml.safe_load(compose_file.read_text())
    except yaml.YAMLError as error:
        raise AssertionError(f"compose.yaml is not valid YAML: {error}") from None
    found: dict[str, Any] = (document or {}).get("services") or {}
    assert {"db", "app"} <= set(found), f"compose.yaml should keep `db` and `app`; it has {found}"
    return found


def environment(service: dict[str, Any]) -> dict[str, str]:
    """A service's environment, written as a mapping or as a list of NAME=value."""
    written = service.get("environment") or {}
    if isinstance(written, list):
        return dict(item.partition("=")[::2] for item in written)
    return {name: str(value) for name, value in written.items()}


def test_the_database_has_a_healthcheck(services: dict[str, Any]) -> None:
    check = services["db"].get("healthcheck") or {}
    test = check.get("test", "")
    command = " ".join(test) if isinstance(test, list) else str(test)
    assert "pg_isready" in command, f"`db` needs a healthcheck whose test runs pg_isready: {check}"


def test_the_app_waits_for_a_healthy_database(services: dict[str, Any]) -> None:
    depends_on = services["app"].get("depends_on")
    assert isinstance(depends_on, dict), (
        "`depends_on: [db]` waits for the container only: use the mapping form with a condition"
    )
    condition = (depends_on.get("db") or {}).get("condition")
    assert condition == "service_healthy", (
        f"`app` should wait for `db` to be service_healthy; its condition is {condition!r}"
    )


def test_no_password_is_written_in_the_file(services: dict[str, Any], compose_file: Path) -> None:
    assert "repairdesk123" not in compose_file.read_text(), "the password is still in the file"
    database = environment(services["db"]).get("POSTGRES_PASSWORD", "")
    assert database.startswith(PASSWORD_REFERENCE), (
        f"db's POSTGRES_PASSWORD should come from the environment, ${{POSTGRES_PASSWORD:?...}}; "
        f"it is {database!r}"
    )
    url = environment(services["app"]).get("DATABASE_URL", "")
    assert PASSWORD_REFERENCE in url, (
        "the app's DATABASE_URL should take the password from the environment"
    )


def test_the_app_is_published_on_loopback_only(services: dict[str, Any]) -> None:
    ports = [str(port) for port in services["app"].get("ports", [])]
    assert ports, "`app` should still publish port 8000"
    for port in ports:
        assert port.startswith("127.0.0.1:"), (
            f'port "{port}" is published on every interface: write "127.0.0.1:8000:8000"'
        )
