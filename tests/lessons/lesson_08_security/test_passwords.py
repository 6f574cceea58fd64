"""Lesson 08's password work, bounded: how much memory, how many at once, made when.

Each Argon2id hash or check holds its memory cost while it runs; the parameters come from the
OWASP Password Storage Cheat Sheet, and threads of their own cap how many run at once.
"""

import threading
import time
from concurrent.futures import ThreadPoolExecutor

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import create_engine, select, update
from sqlalchemy.orm import Session

from lessons.lesson_08_security import security
from lessons.lesson_08_security.config import Settings
from lessons.lesson_08_security.main import create_app
from lessons.lesson_08_security.models import User
from tests.lessons.lesson_08_security.conftest import ADMIN, ADMIN_ID, ADMIN_PASSWORD
from tests.lessons.lesson_08_security.test_login import log_in

OWASP_PARAMETERS = "$argon2id$v=19$m=19456,t=2,p=1$"  # 19 MiB, 2 passes, 1 lane


@pytest.fixture
def cheap_password_hashing() -> None:
    """Not here: these tests are about the cost the lesson ships (conftest.py's is cheaper)."""


def test_passwords_are_hashed_with_the_owasp_parameters() -> None:
    assert security.hash_password("correct horse battery staple").startswith(OWASP_PARAMETERS)


class Gauge:
    """Counts the password checks running at the same moment, the most there ever were, and
    names the threads they ran on."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.running = self.most = 0
        self.threads: set[str] = set()

    def check(self, password: str, hashed: str) -> tuple[bool, str | None]:
        with self.lock:
            self.running += 1
            self.most = max(self.most, self.running)
            self.threads.add(threading.current_thread().name)
        time.sleep(0.05)  # long enough for every other login to arrive meanwhile
        with self.lock:
            self.running -= 1
        return False, None


@pytest.mark.parametrize("threads", [1, 3])
def test_no_more_than_password_threads_checks_run_at_once(
    settings: Settings, monkeypatch: pytest.MonkeyPatch, threads: int
) -> None:
    gauge = Gauge()
    monkeypatch.setattr(security, "check_password", gauge.check)
    app = create_app(settings.model_copy(update={"password_threads": threads}))
    with TestClient(app) as client, ThreadPoolExecutor(12) as pool:
        # Twelve different emails: the throttle stops none of them.
        list(pool.map(lambda n: log_in(client, f"user-{n}@example.com", "a guess"), range(12)))
    assert gauge.most == threads


def test_checks_run_on_threads_of_their_own_and_no_others(
    app: FastAPI, settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Each thread that ever runs a check keeps a 19 MiB buffer: see test_password_memory.py.
    gauge = Gauge()
    monkeypatch.setattr(security, "check_password", gauge.check)
    with TestClient(app) as client, ThreadPoolExecutor(12) as pool:
        list(pool.map(lambda n: log_in(client, f"user-{n}@example.com", "a guess"), range(12)))
    assert gauge.threads <= {f"argon2_{i}" for i in range(settings.password_threads)}
    assert gauge.threads  # not vacuously


@pytest.fixture
def hash_calls(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    calls: list[str] = []
    hash_password = security.hash_password

    def spy(password: str) -> str:
        calls.append(password)
        return hash_password(password)

    monkeypatch.setattr(security, "hash_password", spy)
    return calls


def test_the_dummy_hash_is_made_at_start_up_not_by_the_first_login(
    app: FastAPI, hash_calls: list[str]
) -> None:
    # Made on first use, it would make the first unknown email's sign-in take twice as long.
    with TestClient(app) as client:
        assert len(hash_calls) == 1  # before any request
        log_in(client, "mallory@example.com", "a guess")
    assert len(hash_calls) == 1


# The admin's password as pwdlib's defaults hash it (64 MiB, 3 passes, 4 lanes), before the cost
# was chosen from OWASP's table: `PasswordHash((Argon2Hasher(),)).hash(ADMIN_PASSWORD)`, kept
# as data because making it takes a tenth of a second of every run.
OLD_HASH = (
    "$argon2id$v=19$m=65536,t=3,p=4$ciNQNTOlWqYFHJoEAWieKQ"
    "$StT46V8uF9X0q7S4lewUG1Cn23R2IS0cx7b6bxbdwCo"
)


def stored_hash(settings: Settings) -> str:
    engine = create_engine(settings.database_url.get_secret_value())
    with Session(engine) as session:
        hashed = session.scalar(select(User.password_hash).where(User.id == ADMIN_ID))
    engine.dispose()
    assert hashed is not None
    return hashed


@pytest.fixture
def old_hash(settings: Settings) -> str:
    """The admin's password, as hashed before the cost was chosen from OWASP's table."""
    hashed = OLD_HASH
    engine = create_engine(settings.database_url.get_secret_value())
    with Session(engine) as session, session.begin():
        session.execute(update(User).where(User.id == ADMIN_ID).values(password_hash=hashed))
    engine.dispose()
    return hashed


def test_a_hash_made_with_other_parameters_is_redone_at_the_next_login(
    anonymous_client: TestClient, settings: Settings, old_hash: str
) -> None:
    assert old_hash.startswith("$argon2id$v=19$m=65536,t=3,p=4$")
    assert log_in(anonymous_client, ADMIN, ADMIN_PASSWORD).status_code == 200
    new_hash = stored_hash(settings)
    assert new_hash.startswith(OWASP_PARAMETERS)
    assert security.check_password(ADMIN_PASSWORD, new_hash)[0]
    assert log_in(anonymous_client, ADMIN, ADMIN_PASSWORD).status_code == 200


def test_a_wrong_password_leaves_an_old_hash_alone(
    anonymous_client: TestClient, settings: Settings, old_hash: str
) -> None:
    assert log_in(anonymous_client, ADMIN, "a wrong password").status_code == 400
    assert stored_hash(settings) == old_hash
