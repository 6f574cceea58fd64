"""What lesson 09's checks share: a desk to send requests to, and a count of their trips.

The desk is the lesson's own app (`create_app`) with the exercise's `router` added, on a fresh
SQLite file that holds three accounts and five tickets. Its requests carry tokens minted the
way the token endpoint mints them.

A **trip** to the database is one `Database.run`: a unit of work handed to one of the
database's threads and back. The desk counts them, the transactions the database sees, and
any SQL statement that runs on the event loop instead.
"""

from __future__ import annotations

import asyncio
import os
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import timedelta
from decimal import Decimal
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
from fastapi import APIRouter, FastAPI
from fastapi.testclient import TestClient
from pydantic import SecretStr
from sqlalchemy import event

from exercises.checks.words import Response
from lessons.lesson_09_request_path import security
from lessons.lesson_09_request_path.api.deps import AuthorizedDatabase
from lessons.lesson_09_request_path.config import Settings
from lessons.lesson_09_request_path.db import Database
from lessons.lesson_09_request_path.models import Base, Role, Ticket, TicketStatus, User
from lessons.lesson_09_request_path.security import Principal, create_access_token
from tests.support.passwords import CHEAP_PASSWORD_HASH

SECRET_KEY = "exercise-09-secret-key-long-enough-for-hs256"  # noqa: S105 (a test value)
ADMIN = Principal(user_id=1, role=Role.ADMIN)
TECHNICIAN = Principal(user_id=2, role=Role.TECHNICIAN)
DEACTIVATED = Principal(user_id=3, role=Role.TECHNICIAN)  # a token issued before deactivation
ACCOUNTS = [
    (ADMIN, "admin@example.com", True),
    (TECHNICIAN, "tom@example.com", True),
    (DEACTIVATED, "former@example.com", False),
]
NO_HASH = "-"  # the checks mint tokens: nobody signs in with a password

S = TicketStatus
# id: (customer, device, estimate, status); ada has two devices in the shop (1 and 2).
TICKETS = {
    1: ("ada@example.com", "Pixel 8", "129.99", S.REPAIRING),
    2: ("ada@example.com", "iPad Air", "89.50", S.RECEIVED),
    3: ("ada@example.com", "Galaxy S21", "45.00", S.COLLECTED),
    4: ("bob@example.com", "iPhone 15", "199.00", S.READY),
    5: ("ada@example.com", "ThinkPad X1", "310.00", S.CANCELLED),
}


@dataclass
class Trips:
    """What the requests did since the last `reset()`."""

    runs: int = 0  # `Database.run` calls
    work: list[str] = field(default_factory=list)  # the units of work, as `StaffDatabase` got them
    transactions: int = 0  # BEGINs the database saw
    on_the_loop: list[str] = field(default_factory=list)  # SQL run on the event loop

    def reset(self) -> None:
        self.runs, self.work, self.transactions, self.on_the_loop = 0, [], 0, []

    def describe(self) -> str:
        named = f" ({', '.join(self.work)})" if self.work else ""
        return f"{self.runs} trip(s) to the database{named} and {self.transactions} transaction(s)"


@dataclass
class Desk:
    app: FastAPI
    client: TestClient
    database: Database
    trips: Trips

    def get(self, url: str, user: Principal | None = TECHNICIAN) -> Response:
        """`GET url`, signed in as `user` (None: no token), counting only this request's trips."""
        headers = {} if user is None else signed_in(user)
        self.trips.reset()
        return self.client.get(url, headers=headers)


def signed_in(user: Principal) -> dict[str, str]:
    token = create_access_token(user, secret_key=SECRET_KEY, lifetime=timedelta(minutes=5))
    return {"Authorization": f"Bearer {token}"}


def on_the_event_loop() -> bool:
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return False
    return True


@pytest.fixture
def trips(monkeypatch: pytest.MonkeyPatch) -> Trips:
    counted = Trips()
    authorized_run = AuthorizedDatabase.run

    async def named_run(
        self: AuthorizedDatabase, work: Callable[..., Any], /, *args: Any, **kwargs: Any
    ) -> Any:
        counted.work.append(getattr(work, "__qualname__", repr(work)))
        return await authorized_run(self, work, *args, **kwargs)

    monkeypatch.setattr(AuthorizedDatabase, "run", named_run)
    return counted


def seed(database: Database) -> None:
    Base.metadata.create_all(database.engine)
    with database.sessions.begin() as session:
        session.add_all(
            User(
                id=user.user_id,
                email=email,
                password_hash=NO_HASH,
                role=user.role,
                is_active=active,
            )
            for user, email, active in ACCOUNTS
        )
        session.add_all(
            Ticket(
                id=ticket_id,
                customer_email=customer,
                device_model=device,
                estimated_cost=Decimal(cost),
                status=status,
            )
            for ticket_id, (customer, device, cost, status) in TICKETS.items()
        )


@pytest.fixture
def desk(
    module: ModuleType, trips: Trips, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> Iterator[Desk]:
    router = getattr(module, "router", None)
    assert isinstance(router, APIRouter), (
        "the exercise's file must still define `router`, the APIRouter of its endpoint"
    )
    # The developer's REPAIRDESK_* variables are not the desk's business.
    for name in [name for name in os.environ if name.startswith("REPAIRDESK_")]:
        monkeypatch.delenv(name)
    from lessons.lesson_09_request_path.main import create_app  # once the variables are gone

    # Nobody signs in at the desk: the dummy password every app hashes at start-up may as well
    # cost the least Argon2id allows (tests/support/passwords.py), not 30 ms per check.
    monkeypatch.setattr(security, "_hasher", CHEAP_PASSWORD_HASH)

    settings = Settings(
        database_url=SecretStr(f"sqlite:///{tmp_path / 'repairdesk.db'}"),
        secret_key=SecretStr(SECRET_KEY),
        db_threads=2,
    )
    app = create_app(settings)
    app.include_router(router)
    database: Database = app.state.database
    seed(database)
    database_run = database.run

    async def counted_run(work: Callable[..., Any], /, *args: Any, **kwargs: Any) -> Any:
        trips.runs += 1
        return await database_run(work, *args, **kwargs)

    monkeypatch.setattr(database, "run", counted_run)

    @event.listens_for(database.engine, "begin")
    def count_transaction(_connection: Any) -> None:
        trips.transactions += 1

    @event.listens_for(database.engine, "before_cursor_execute")
    def notice_sql_on_the_event_loop(*arguments: Any) -> None:
        if on_the_event_loop():
            trips.on_the_loop.append(str(arguments[2]).split("\n")[0].strip())

    with TestClient(app) as client:
        yield Desk(app, client, database, trips)
