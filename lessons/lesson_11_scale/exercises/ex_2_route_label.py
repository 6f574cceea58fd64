"""Time each route once, not each URL.

--8<-- [start:task]
**Ticket RD-1102.** Prometheus is running out of memory, and the culprit is ours:
`repairdesk_http_request_duration_seconds` has a time series for every ticket ever read, and
one more for every path a scanner tries (`/wp-login.php`, `/.env`...). Each is kept for
weeks, and each label set of a histogram is 17 series (15 buckets, a count and a sum).
`LatencyMiddleware` labels each request with its raw path. Label it with the route template
instead, so that reading tickets 1 to 100 adds to one series,
`route="/api/v1/tickets/{ticket_id}"`, and requests that match no route share one series of
their own, whatever their path. The `method` and `status` labels stay.
--8<-- [end:task]

The check reads `/api/v1/tickets/1` to `/100` and a scanner's paths, then scrapes `GET /metrics`
and parses it as Prometheus would, with prometheus-client's parser.
"""

import time

from fastapi import FastAPI, Response
from prometheus_client import CONTENT_TYPE_LATEST, CollectorRegistry, Histogram, generate_latest
from starlette.types import ASGIApp, Message, Receive, Scope, Send

registry = CollectorRegistry()
LATENCY = Histogram(
    "repairdesk_http_request_duration_seconds",
    "Time from a request's arrival to the end of its response.",
    ("method", "route", "status"),
    registry=registry,
)


class LatencyMiddleware:
    """Times every HTTP request into `histogram`, by method, route and status."""

    def __init__(self, app: ASGIApp, *, histogram: Histogram) -> None:
        self.app = app
        self.histogram = histogram

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

        # TODO: one series per route, not one per URL.
        route = scope["path"]
        try:
            await self.app(scope, receive, send_noting_status)
        finally:
            self.histogram.labels(scope["method"], route, str(status)).observe(
                time.perf_counter() - started
            )


app = FastAPI()
app.add_middleware(LatencyMiddleware, histogram=LATENCY)


@app.get("/api/v1/tickets/{ticket_id}")
async def read_ticket(ticket_id: int) -> dict[str, int]:
    return {"id": ticket_id}


@app.get("/metrics", include_in_schema=False)
async def metrics() -> Response:
    return Response(generate_latest(registry), media_type=CONTENT_TYPE_LATEST)
