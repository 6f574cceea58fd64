"""Health probes: live while the process runs, ready only while the database answers."""

from __future__ import annotations

from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from final_app.config import Settings
from final_app.main import create_app


def test_live_is_200(client: TestClient) -> None:
    response = client.get("/health/live")
    assert (response.status_code, response.json()) == (200, {"status": "ok"})


def test_ready_is_200_when_the_database_answers(client: TestClient) -> None:
    response = client.get("/health/ready")
    assert (response.status_code, response.json()) == (200, {"status": "ok"})


@pytest.mark.parametrize(
    "unreachable",
    [
        "sqlite:///{tmp_path}/no/such/dir/repairdesk.db",
        "postgresql+psycopg://postgres@127.0.0.1:1/repairdesk",  # nothing listens on port 1
    ],
)
def test_ready_is_503_when_the_database_does_not_answer(unreachable: str, tmp_path: Path) -> None:
    app = create_app(Settings(database_url=unreachable.format(tmp_path=tmp_path)))
    with TestClient(app) as client:
        response = client.get("/health/ready")
        live = client.get("/health/live")
    assert response.status_code == 503
    assert response.json() == {"detail": "The database does not answer"}
    assert live.status_code == 200
