"""Checks lesson 05's app on `fresh_database()`: it works, it is isolated, it writes no file.

--8<-- [start:hint]
`":memory:"` is per connection: the lifespan creates the tables on one connection, and a
request running in a worker thread gets another, empty one. Give the engine a single connection
that everyone shares: `create_engine("sqlite://", poolclass=StaticPool, connect_args=
{"check_same_thread": False})`, with `StaticPool` from `sqlalchemy.pool`. The lesson's test
support does the same.
--8<-- [end:hint]
"""

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from types import ModuleType

import pytest
from fastapi.testclient import TestClient

from exercises.checks.words import answered
from lessons.lesson_05_database import app as lesson

TICKET = {"customer_email": "ada@example.com", "device_model": "Pixel 8", "estimated_cost": "90"}


@contextmanager
def client_on(module: ModuleType) -> Iterator[TestClient]:
    """Lesson 05's app, on a database from `fresh_database()`."""
    learners = lesson.app.state.database
    lesson.app.state.database = module.fresh_database()
    try:
        with TestClient(lesson.app, headers={"X-API-Key": "front-desk-demo-key"}) as client:
            yield client
    finally:
        lesson.app.state.database = learners


@pytest.fixture(autouse=True)
def in_an_empty_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    return tmp_path


def test_a_ticket_opened_in_one_request_is_read_in_the_next(module: ModuleType) -> None:
    with client_on(module) as client:
        created = client.post("/tickets", json=TICKET)
        assert created.status_code == 201, answered("POST /tickets", created, 201)
        ticket_id = created.json()["id"]
        response = client.get(f"/tickets/{ticket_id}")
    assert response.status_code == 200, answered(f"GET /tickets/{ticket_id}", response, 200)


def test_two_fresh_databases_share_nothing(module: ModuleType) -> None:
    with client_on(module) as client:
        created = client.post("/tickets", json=TICKET)
        assert created.status_code == 201, answered("POST /tickets", created, 201)
    with client_on(module) as client:
        listed = client.get("/tickets")
    assert listed.status_code == 200, answered("GET /tickets", listed, 200)
    tickets = listed.json()["items"]
    assert tickets == [], f"a fresh database should hold no ticket; it holds {tickets}"


def test_no_file_is_written(module: ModuleType, in_an_empty_folder: Path) -> None:
    with client_on(module) as client:
        client.post("/tickets", json=TICKET)
    written = sorted(p.name for p in in_an_empty_folder.iterdir())
    assert written == [], f"the test database should live in memory; it wrote {written}"
