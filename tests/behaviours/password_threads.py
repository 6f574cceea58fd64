"""The password threads live as long as the app (lesson 09, lesson 11, the final app).

Argon2 work runs on threads of the app's own `Passwords`, which the lifespan makes when the
app starts and stops when it stops. Made once in `create_app` and never stopped, its threads
would outlive the app, joined only when Python exits; stopped but not made again, an app
started a second time (a test client entered twice) would refuse every login, since a stopped
executor takes no more work.
"""

from __future__ import annotations

import threading

import httpx2
from fastapi import FastAPI
from fastapi.testclient import TestClient

from tests.support.api_v1 import TOKEN


def unknown_users_login(client: TestClient) -> httpx2.Response:
    """A wrong password for an unknown email: a password check all the same (the dummy hash)."""
    return client.post(TOKEN, data={"username": "nobody@example.com", "password": "wrong"})


def password_threads() -> set[threading.Thread]:
    return {thread for thread in threading.enumerate() if thread.name.startswith("argon2")}


def test_the_password_threads_stop_when_the_app_stops(app: FastAPI) -> None:
    others = password_threads()  # any other app's still running
    with TestClient(app) as client:
        assert unknown_users_login(client).status_code == 400
        started = password_threads() - others
        assert started  # the check ran on one of the app's own
    assert not started & password_threads()


def test_an_app_started_again_checks_passwords_again(app: FastAPI) -> None:
    for _ in range(2):
        with TestClient(app) as client:
            assert unknown_users_login(client).status_code == 400
