"""Exercise 11.2, solved: the route's template is read once the router has matched it.

Labels are what Prometheus stores series by: every new combination of label values is a new
series, kept for as long as the server keeps data, and 17 of them for a histogram (15 buckets,
a count and a sum).
So a label takes its values from a small, fixed set: methods, statuses, the app's route
templates. A raw path is none of those: it has one value per ticket, and whatever a scanner
sends.

The route is known only after routing, which happens inside `await self.app(...)`: FastAPI's
router then stores the matched route in the scope, the same dict the middleware holds, so the
`finally` block finds it there. A request that matched no route has none: all of those share
the label `unmatched`, and a flood of them shows up as one series whose count climbs.
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

        try:
            await self.app(scope, receive, send_noting_status)
        finally:
            # Routing has happened: the matched route's template, or one label for no match.
            route = getattr(scope.get("route"), "path", "unmatched")
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
