"""Clients that drive creates and reads through the proxy, and remember what each request got.

Each client signs in with the real auth endpoint, then loops until told to stop: one create,
then a few reads of tickets it created. A create carries an `Idempotency-Key` and a unique
marker in its notes; when it gets no answer, or a 502/503/504, the client sends it again with
the same key and the same body (what a careful client does: it cannot know whether the first
one was committed). A read is never retried by the client: failing over is the proxy's job.

Every attempt is recorded (`Attempt`), so a test can count what was sent, answered and failed,
and compare what the clients were told with what the database holds.

httpx2 in threads saturates long before the servers do (a few hundred requests/s); that is
plenty to keep both replicas busy on a small machine, and the point here is correctness.
"""

from __future__ import annotations

import random
import threading
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import httpx2

RETRY_STATUSES = frozenset({502, 503, 504})  # the proxy's "no replica answered this"
MAX_CREATE_ATTEMPTS = 6
READS_PER_CREATE = 3


@dataclass(frozen=True)
class Attempt:
    """One HTTP request a client sent, and what came back."""

    kind: str  # "create" or "read"
    started: float  # seconds since the run began
    ended: float
    status: int | None  # None: no answer at all (connection failed, reset, timed out)
    error: str | None = None
    marker: str | None = None  # creates: the ticket's marker; reads: the marker expected
    retry: bool = False  # a create sent again with the key and body of an earlier attempt
    replayed: bool = False  # the app answered from its idempotency record

    @property
    def answered(self) -> bool:
        expected = 201 if self.kind == "create" else 200
        return self.status == expected and self.error is None


@dataclass
class Create:
    """One ticket a client means to create, however many attempts it takes."""

    marker: str
    key: str
    body: dict[str, Any]
    ticket_id: int | None = None  # set once an attempt is acknowledged (201)

    @property
    def acknowledged(self) -> bool:
        return self.ticket_id is not None


@dataclass
class Run:
    """What every client did during one run, in the order the attempts ended."""

    marker_prefix: str
    started: float = field(default_factory=time.monotonic)
    attempts: list[Attempt] = field(default_factory=list)
    creates: list[Create] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def now(self) -> float:
        return time.monotonic() - self.started

    def record(self, attempt: Attempt) -> None:
        with self.lock:
            self.attempts.append(attempt)

    def counts(self, kind: str | None = None) -> dict[str, int]:
        """Requests sent, answered (the expected 2xx), failed (anything else) and retried."""
        chosen = [a for a in self.attempts if kind is None or a.kind == kind]
        answered = sum(a.answered for a in chosen)
        return {
            "sent": len(chosen),
            "answered": answered,
            "failed": len(chosen) - answered,
            "retried": sum(a.retry for a in chosen),
        }


class Client(threading.Thread):
    """One client of the API, in a thread of its own, until `stop` is set."""

    def __init__(
        self,
        run: Run,
        base_url: str,
        token: str,
        stop: threading.Event,
        *,
        number: int,
        timeout: float = 10,
        idempotency_keys: bool = True,
    ) -> None:
        super().__init__(name=f"client-{number}", daemon=True)
        self.run_record = run
        self.number = number
        self.stop = stop
        self.idempotency_keys = idempotency_keys
        self.http = httpx2.Client(
            base_url=base_url, headers={"Authorization": f"Bearer {token}"}, timeout=timeout
        )
        self.mine: list[Create] = []
        self.random = random.Random(number)

    def run(self) -> None:
        with self.http:
            sequence = 0
            while not self.stop.is_set():
                sequence += 1
                create = self.new_create(sequence)
                self.create(create)
                for _ in range(READS_PER_CREATE):
                    if self.stop.is_set():
                        break
                    self.read()

    def new_create(self, sequence: int) -> Create:
        marker = f"{self.run_record.marker_prefix}-c{self.number}-{sequence}"
        body = {
            "customer_email": f"client{self.number}@example.com",
            "device_model": "Pixel 8",
            "estimated_cost": "129.99",
            "notes": marker,
        }
        create = Create(marker=marker, key=str(uuid.uuid4()), body=body)
        with self.run_record.lock:
            self.run_record.creates.append(create)
        return create

    def create(self, create: Create) -> None:
        """Send the create until it is acknowledged, the same key and body every time."""
        headers = {"Idempotency-Key": create.key} if self.idempotency_keys else {}
        for attempt in range(MAX_CREATE_ATTEMPTS):
            started = self.run_record.now()
            try:
                response = self.http.post("/api/v1/tickets", json=create.body, headers=headers)
            except httpx2.TransportError as error:  # no answer: it may or may not exist now
                self.run_record.record(
                    Attempt("create", started, self.run_record.now(), None,
                            type(error).__name__, create.marker, retry=attempt > 0)
                )  # fmt: skip
            else:
                self.run_record.record(
                    Attempt("create", started, self.run_record.now(), response.status_code,
                            None, create.marker, retry=attempt > 0,
                            replayed=response.headers.get("Idempotent-Replayed") == "true")
                )  # fmt: skip
                if response.status_code == 201:
                    create.ticket_id = int(response.json()["id"])
                    self.mine.append(create)
                    return
                if response.status_code not in RETRY_STATUSES:
                    return  # the app said no (4xx): sending it again would not change that
            time.sleep(0.1 * 2**attempt)  # back off: 0.1, 0.2, 0.4 ... s

    def read(self) -> None:
        if not self.mine:
            return
        ticket = self.random.choice(self.mine)
        started = self.run_record.now()
        try:
            response = self.http.get(f"/api/v1/tickets/{ticket.ticket_id}")
        except httpx2.TransportError as error:
            self.run_record.record(
                Attempt("read", started, self.run_record.now(), None, type(error).__name__,
                        ticket.marker)
            )  # fmt: skip
            return
        # A 200 with another ticket's notes would be a wrong answer, not an answer.
        wrong = response.status_code == 200 and response.json().get("notes") != ticket.marker
        self.run_record.record(
            Attempt("read", started, self.run_record.now(), response.status_code,
                    "wrong ticket" if wrong else None, ticket.marker)
        )  # fmt: skip


def sign_in(base_url: str, email: str, password: str) -> str:
    """An access token from the app's real auth endpoint (the OAuth2 password flow)."""
    response = httpx2.post(
        f"{base_url}/api/v1/auth/token", data={"username": email, "password": password}, timeout=30
    )
    assert response.status_code == 200, response.text
    token: str = response.json()["access_token"]
    return token


def clients(
    run: Run, base_url: str, tokens: list[str], stop: threading.Event, **options: Any
) -> Iterator[Client]:
    for number, token in enumerate(tokens, start=1):
        yield Client(run, base_url, token, stop, number=number, **options)
