"""Lesson 11's request ids, kept by the final app: one id per request, in every line it logs.

Every response carries `X-Request-ID`: the proxy's or client's when it is short and harmless
in a log line, a new one otherwise. Every log record made while the request runs carries it
too, worker threads included, and a bug's JSON 500 quotes it, so a user's report leads to
the log lines of that request on whichever replica served it. The conftest names the app's
package (`app_package`), whose logger the app configures.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable, Iterator

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

GENERATED_ID = re.compile(r"[0-9a-f]{32}")


@pytest.fixture
def bug_client(app: FastAPI) -> Iterator[TestClient]:
    """A client that gets the 500 a bug causes, as a real client would, instead of the bug."""
    with TestClient(app, raise_server_exceptions=False) as client:
        yield client


async def broken() -> None:
    raise RuntimeError("a bug")


# --8<-- [start:request-id]
def test_every_response_carries_a_generated_request_id(client: TestClient) -> None:
    first = client.get("/health/live").headers["X-Request-ID"]
    second = client.get("/no/such/page").headers["X-Request-ID"]
    assert GENERATED_ID.fullmatch(first)
    assert GENERATED_ID.fullmatch(second)
    assert first != second


def test_a_sane_request_id_from_the_proxy_is_kept(client: TestClient) -> None:
    response = client.get("/health/live", headers={"X-Request-ID": "proxy-7f3a.2:9_B"})
    assert response.headers["X-Request-ID"] == "proxy-7f3a.2:9_B"


@pytest.mark.parametrize("unsafe", ["", "a" * 65, "two words", "<script>", "id;rm -rf", "é"])
def test_an_unsafe_request_id_is_replaced(client: TestClient, unsafe: str) -> None:
    response = client.get("/health/live", headers={b"X-Request-ID": unsafe.encode()})
    assert GENERATED_ID.fullmatch(response.headers["X-Request-ID"])


def test_log_lines_know_the_request_id_even_in_a_worker_thread(
    client: TestClient,
    test_route: Callable[..., str],
    caplog: pytest.LogCaptureFixture,
    app_package: str,
) -> None:
    def log_something() -> None:  # `def`: FastAPI runs it in a worker thread
        logging.getLogger(f"{app_package}.tests").warning("something")

    caplog.set_level(logging.WARNING)
    path = test_route("/test/log", log_something, method="GET")
    client.get(path, headers={"X-Request-ID": "abc-123"})
    [record] = [r for r in caplog.records if r.name == f"{app_package}.tests"]
    assert getattr(record, "request_id", None) == "abc-123"


# --8<-- [end:request-id]


# --8<-- [start:internal-error]
def test_an_unexpected_exception_is_a_json_500_naming_the_request_id(
    bug_client: TestClient, test_route: Callable[..., str]
) -> None:
    response = bug_client.get(test_route("/test/broken", broken, method="GET"))
    assert response.status_code == 500
    request_id = response.headers["X-Request-ID"]
    assert response.json() == {
        "detail": f"Internal server error; quote request id {request_id} when reporting it"
    }


def test_an_unexpected_exception_is_logged_once_with_its_traceback_and_request_id(
    bug_client: TestClient, test_route: Callable[..., str], caplog: pytest.LogCaptureFixture
) -> None:
    path = test_route("/test/broken", broken, method="GET")
    response = bug_client.get(path, headers={"X-Request-ID": "report-42"})
    [record] = [r for r in caplog.records if r.levelno >= logging.ERROR]
    assert record.exc_info is not None
    assert str(record.exc_info[1]) == "a bug"
    assert response.headers["X-Request-ID"] == "report-42"
    assert "report-42" in record.getMessage()
    assert getattr(record, "request_id", None) == "report-42"


# --8<-- [end:internal-error]
