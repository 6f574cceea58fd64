"""Prometheus metrics: what each replica is doing, served at `GET /metrics`.

Requests are counted, and their latency recorded in a histogram, by method, route template and
status: `/api/v1/tickets/{ticket_id}`, never `/api/v1/tickets/7`, or every ticket would be a
time series of its own. The gauges read the database's threads and pool when scraped, so
they cost the requests nothing.

The numbers are this process's. Prometheus scrapes each replica (each pod, each container)
on its own and adds them up in queries: `sum(rate(repairdesk_http_requests_total[5m]))`.
Under `uvicorn --workers N`, each worker is a process with a registry of its own, and a scrape
reaches whichever worker accepts it: counts jump between workers' values. Run one worker per
container (as the image does), or give every worker a shared `PROMETHEUS_MULTIPROC_DIR`
and a multiprocess collector (prometheus-client's documentation says how).
"""

from __future__ import annotations

import time

from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram
from prometheus_client.process_collector import ProcessCollector
from sqlalchemy.pool import QueuePool
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from .db import Database

HTTP_METHODS = frozenset({"DELETE", "GET", "HEAD", "OPTIONS", "PATCH", "POST", "PUT"})
# Seconds: from a cached read (a millisecond) to a request stuck behind the database.
LATENCY_BUCKETS = (0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0)


# --8<-- [start:metrics]
class Metrics:
    """One app's metrics, in a registry of its own: apps built side by side never collide."""

    def __init__(self, database: Database) -> None:
        self.registry = CollectorRegistry()
        labels = ("method", "route", "status")
        self.requests = Counter(
            "repairdesk_http_requests",  # exposed as repairdesk_http_requests_total
            "HTTP requests answered.",
            labels,
            registry=self.registry,
        )
        self.latency = Histogram(
            "repairdesk_http_request_duration_seconds",
            "Time from a request's arrival to the end of its response.",
            labels,
            buckets=LATENCY_BUCKETS,
            registry=self.registry,
        )
        threads = database.threads
        Gauge(
            "repairdesk_database_threads_busy",
            "Database calls running now, each in a thread with a connection.",
            registry=self.registry,
        ).set_function(lambda: threads.borrowed_tokens)
        Gauge(
            "repairdesk_database_threads",
            "Database calls this process runs at once at most (REPAIRDESK_DB_THREADS).",
            registry=self.registry,
        ).set_function(lambda: threads.total_tokens)
        pool = database.engine.pool
        assert isinstance(pool, QueuePool)  # create_db_engine sizes a QueuePool
        Gauge(
            "repairdesk_database_connections_in_use",
            "Pooled database connections checked out now.",
            registry=self.registry,
        ).set_function(pool.checkedout)
        ProcessCollector(registry=self.registry)  # CPU seconds, memory, open files
        self._series: dict[tuple[str, str, str], tuple[Counter, Histogram]] = {}

    def observe(self, method: str, route: str, status: int, seconds: float) -> None:
        key = (method if method in HTTP_METHODS else "other", route, str(status))
        series = self._series.get(key)
        if series is None:  # `labels()` looks the series up under a lock: once per key
            series = self._series[key] = (self.requests.labels(*key), self.latency.labels(*key))
        counter, histogram = series
        counter.inc()
        histogram.observe(seconds)


# --8<-- [end:metrics]


# --8<-- [start:middleware]
class MetricsMiddleware:
    """Counts and times every HTTP request (pure ASGI: a few microseconds a request)."""

    def __init__(self, app: ASGIApp, *, metrics: Metrics) -> None:
        self.app = app
        self.metrics = metrics

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = time.perf_counter()
        status = 500  # unless a response starts: the app failed before answering

        async def send_noting_status(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
            await send(message)

        try:
            await self.app(scope, receive, send_noting_status)
        finally:
            # The router put the matched route in the scope; no route: a 404, one series.
            route = getattr(scope.get("route"), "path", "unmatched")
            self.metrics.observe(scope["method"], route, status, time.perf_counter() - started)


# --8<-- [end:middleware]
