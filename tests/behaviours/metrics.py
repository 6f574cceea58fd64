"""Lesson 11's Prometheus metrics, kept by the final app: `GET /metrics`, read as Prometheus would.

Requests are counted and timed by method, route template and status (one series for every
ticket, not one per ticket), and the gauges show the database's threads and pool. The metrics
are the app's own: two apps in one process (as in these tests) never mix their numbers.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from fastapi import FastAPI
from fastapi.testclient import TestClient
from prometheus_client.parser import text_string_to_metric_families

Headers = dict[str, str]
Series = tuple[str, frozenset[tuple[str, str]]]  # a name and its labels
Samples = dict[Series, float]


def scrape(client: TestClient) -> Samples:
    response = client.get("/metrics")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/plain")
    return {
        (sample.name, frozenset(sample.labels.items())): sample.value
        for family in text_string_to_metric_families(response.text)
        for sample in family.samples
    }


def requests_total(samples: Samples, **labels: str) -> float:
    return samples.get(("repairdesk_http_requests_total", frozenset(labels.items())), 0.0)


# --8<-- [start:route-template]
def test_requests_are_counted_by_route_template_not_by_path(
    client: TestClient, tickets_path: str, tech_headers: Headers, valid_ticket: dict[str, Any]
) -> None:
    ids = [
        client.post(tickets_path, json=valid_ticket, headers=tech_headers).json()["id"]
        for _ in range(3)
    ]
    for ticket_id in [*ids, 999]:
        client.get(f"{tickets_path}/{ticket_id}", headers=tech_headers)
    samples = scrape(client)
    one_ticket = f"{tickets_path}/{{ticket_id}}"
    assert requests_total(samples, method="GET", route=one_ticket, status="200") == 3
    assert requests_total(samples, method="GET", route=one_ticket, status="404") == 1
    assert requests_total(samples, method="POST", route=tickets_path, status="201") == 3
    assert not [name for name, labels in samples if ("route", f"{tickets_path}/1") in labels]


# --8<-- [end:route-template]


def test_latency_is_a_histogram_in_seconds(client: TestClient) -> None:
    for _ in range(2):
        client.get("/health/live")
    samples = scrape(client)
    labels = {"method": "GET", "route": "/health/live", "status": "200"}
    count = ("repairdesk_http_request_duration_seconds_count", frozenset(labels.items()))
    infinity = frozenset({**labels, "le": "+Inf"}.items())
    assert samples[count] == 2
    assert samples[("repairdesk_http_request_duration_seconds_bucket", infinity)] == 2
    total = samples[("repairdesk_http_request_duration_seconds_sum", frozenset(labels.items()))]
    assert 0 < total < 5


def test_unknown_paths_and_methods_share_one_series(client: TestClient) -> None:
    for path in ("/no/such/page", "/wp-login.php", "/.env"):
        client.get(path)
    client.request("BREW", "/health/live")
    samples = scrape(client)
    assert requests_total(samples, method="GET", route="unmatched", status="404") == 3
    assert requests_total(samples, method="other", route="/health/live", status="405") == 1


def test_a_bug_is_counted_as_a_500(app: FastAPI, test_route: Callable[..., str]) -> None:
    async def broken() -> None:
        raise RuntimeError("a bug")

    path = test_route("/test/broken", broken, method="GET")
    with TestClient(app, raise_server_exceptions=False) as client:
        client.get(path)
        samples = scrape(client)
    assert requests_total(samples, method="GET", route=path, status="500") == 1


def test_the_database_gauges_show_threads_and_connections(client: TestClient, app: FastAPI) -> None:
    client.get("/health/ready")  # opens a pooled connection, and gives it back
    samples = scrape(client)
    threads = app.state.settings.db_threads
    assert samples[("repairdesk_database_threads", frozenset())] == threads
    assert samples[("repairdesk_database_threads_busy", frozenset())] == 0
    assert samples[("repairdesk_database_connections_in_use", frozenset())] == 0


def test_the_gauges_count_work_in_progress(client: TestClient, app: FastAPI) -> None:
    database = app.state.database
    gauge: Series = ("repairdesk_database_connections_in_use", frozenset())
    with database.engine.connect():  # one connection out of the pool, as a request holds it
        assert scrape(client)[gauge] == 1
    assert scrape(client)[gauge] == 0


def test_each_app_counts_its_own_requests(
    client: TestClient, build_app: Callable[..., FastAPI], database_url: str
) -> None:
    client.get("/health/live")
    with TestClient(build_app(database_url=database_url)) as other:
        labels = {"method": "GET", "route": "/health/live", "status": "200"}
        assert requests_total(scrape(other), **labels) == 0
    assert requests_total(scrape(client), **labels) == 1


def test_metrics_are_not_part_of_the_api_document(client: TestClient) -> None:
    assert "/metrics" not in client.get("/openapi.json").json()["paths"]
