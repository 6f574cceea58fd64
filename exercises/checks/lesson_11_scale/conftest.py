"""What lesson 11's checks share: a desk that sends creates to the lesson's app.

The desk is the lesson's own app (`create_app`) on a fresh SQLite file holding two accounts,
Ada's and Tom's, with the exercise's `create_ticket_once` in place of the lesson's service.
Its requests carry tokens minted the way the token endpoint mints them.
"""

from __future__ import annotations

import os
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path
from types import ModuleType
from typing import Any, Protocol

import pytest
from fastapi.testclient import TestClient
from pydantic import SecretStr
from sqlalchemy import func, select, update

from exercises.checks.words import Response
from lessons.lesson_11_scale import security
from lessons.lesson_11_scale.config import Settings
from lessons.lesson_11_scale.db import Database, utc_now
from lessons.lesson_11_scale.models import Base, IdempotencyKey, Role, Ticket, User
from lessons.lesson_11_scale.security import Principal, create_access_token
from lessons.lesson_11_scale.services import idempotency
from tests.support.passwords import CHEAP_PASSWORD_HASH

SECRET_KEY = "exercise-11-secret-key-long-enough-for-hs256"  # noqa: S105 (a test value)
ADA = Principal(user_id=1, role=Role.TECHNICIAN)
TOM = Principal(user_id=2, role=Role.TECHNICIAN)
NAMES = {ADA: "Ada", TOM: "Tom"}
NO_HASH = "-"  # the checks mint tokens: nobody signs in with a password
TICKETS = "/api/v1/tickets"


class CreateResponse(Response, Protocol):
    @property
    def headers(self) -> Mapping[str, str]: ...


@dataclass
class Desk:
    client: TestClient
    database: Database
    calls: list[str] = field(default_factory=list)  # keys the exercise's function was given

    def create(self, body: dict[str, Any], *, user: Principal, key: str) -> CreateResponse:
        """`POST /api/v1/tickets` as `user`, with `Idempotency-Key: key`."""
        token = create_access_token(user, secret_key=SECRET_KEY, lifetime=timedelta(minutes=5))
        headers = {"Authorization": f"Bearer {token}", "Idempotency-Key": key}
        return self.client.post(TICKETS, json=body, headers=headers)

    def count(self, table: type[Ticket | IdempotencyKey]) -> int:
        """How many tickets, or keys, the database holds."""
        with self.database.sessions() as session:
            return session.scalar(select(func.count()).select_from(table)) or 0

    def let_the_keys_expire(self) -> None:
        """A day later, as far as the stored keys can tell."""
        with self.database.sessions.begin() as session:
            session.execute(update(IdempotencyKey).values(expires_at=utc_now()))


@pytest.fixture
def desk(module: ModuleType, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Desk]:
    create_ticket_once = getattr(module, "create_ticket_once", None)
    assert callable(create_ticket_once), (
        "the exercise's file must still define `create_ticket_once(session, data, *, user_id, key)`"
    )
    # The developer's REPAIRDESK_* variables are not the desk's business.
    for name in [name for name in os.environ if name.startswith("REPAIRDESK_")]:
        monkeypatch.delenv(name)
    from lessons.lesson_11_scale.main import create_app  # once the variables are gone

    # Nobody signs in at the desk: the dummy password every app hashes at start-up may as well
    # cost the least Argon2id allows (tests/support/passwords.py), not 30 ms per check.
    monkeypatch.setattr(security, "_hasher", CHEAP_PASSWORD_HASH)

    settings = Settings(
        database_url=SecretStr(f"sqlite:///{tmp_path / 'repairdesk.db'}"),
        secret_key=SecretStr(SECRET_KEY),
    )
    app = create_app(settings)
    database: Database = app.state.database
    Base.metadata.create_all(database.engine)
    with database.sessions.begin() as session:
        session.add_all(
            User(
                id=user.user_id,
                email=f"{name.lower()}@example.com",
                password_hash=NO_HASH,
                role=user.role,
            )
            for user, name in NAMES.items()
        )
    desk = Desk(TestClient(app), database)

    def watched(session: Any, data: Any, *, user_id: int, key: str) -> Any:
        desk.calls.append(key)
        return create_ticket_once(session, data, user_id=user_id, key=key)

    # The lesson's endpoint calls `idempotency.create_ticket_once`: it now calls the exercise's.
    monkeypatch.setattr(idempotency, "create_ticket_once", watched)
    with desk.client:
        yield desk
