"""Checks the latency histogram's series as Prometheus sees them: scraped, then parsed.

The check reads tickets 1 to 100, sends requests to paths no route matches, then scrapes
`GET /metrics` and parses it with prometheus-client's parser, as the Prometheus server would.
A series is one set of labels: each has its buckets, `_count`, `_sum` and `_created`.

--8<-- [start:hint]
A URL becomes a route only once the router has matched it, and the router runs inside
`await self.app(...)`. FastAPI's router then records the matched route in the scope, under
`"route"`, and the scope is the very dict the middleware holds: look there once the app is
done (the `finally` block runs then, failures included). A route's `path` is its template.
A request that no route matched has no route in the scope at all: give every such request
the same fixed label.
--8<-- [end:hint]
"""

from dataclasses import dataclass

from fastapi.testclient import TestClient
from prometheus_client.parser import text_string_to_metric_families

from exercises.checks.words import answered

HISTOGRAM = "repairdesk_http_request_duration_seconds"
TEMPLATE = "/api/v1/tickets/{ticket_id}"
TICKETS = 100
SCANNED = ["/wp-login.php", "/.env", "/admin/config.php", "/api/v2/tickets/1"]
SCANNED += [f"/cgi-bin/probe-{number}.cgi" for number in range(16)]


@dataclass(frozen=True)
class Series:
    method: str
    route: str
    status: str
    count: float  # requests observed


def scrape(client: TestClient) -> list[Series]:
    """The histogram's series, from `GET /metrics`, as Prometheus would parse them."""
    response = client.get("/metrics")
    assert response.status_code == 200, answered("GET /metrics", response, 200)
    families = {f.name: f for f in text_string_to_metric_families(response.text)}
    assert HISTOGRAM in families, (
        f"GET /metrics has no {HISTOGRAM} histogram; it has {sorted(families)}: keep its name"
    )
    samples = families[HISTOGRAM].samples
    found = []
    for sample in samples:
        if sample.name.endswith("_count") and sample.labels.get("route") != "/metrics":
            labels = sample.labels
            assert {"method", "route", "status"} <= labels.keys(), (
                f"each series should keep the labels method, route and status; one has {labels}"
            )
            found.append(Series(labels["method"], labels["route"], labels["status"], sample.value))
    return found


def labels_of(series: list[Series]) -> str:
    shown = ", ".join(f'route="{s.route}"' for s in series[:3])
    return shown + (f" and {len(series) - 3} more" if len(series) > 3 else "")


def test_a_hundred_tickets_make_one_series(client: TestClient) -> None:
    for ticket_id in range(1, TICKETS + 1):
        response = client.get(f"/api/v1/tickets/{ticket_id}")
        assert response.status_code == 200, answered(
            f"GET /api/v1/tickets/{ticket_id}", response, 200
        )
    series = [s for s in scrape(client) if s.method == "GET" and s.status == "200"]
    assert len(series) == 1, (
        f"reading tickets 1 to {TICKETS} made {len(series)} series of {HISTOGRAM} "
        f"({labels_of(series)}): one per URL, and each is stored for weeks. They should make "
        f'one, labelled with the route\'s template: route="{TEMPLATE}"'
    )
    (reads,) = series
    if reads.route != TEMPLATE and "tickets" not in reads.route:
        raise AssertionError(
            f'every ticket read was labelled route="{reads.route}", as if no route had matched: '
            "when is the route known, before the app has run or after?"
        )
    assert reads.route == TEMPLATE, (
        f'the ticket reads were labelled route="{reads.route}"; they should be labelled with '
        f'the route\'s template, route="{TEMPLATE}"'
    )
    assert reads.count == TICKETS, (
        f"the series counted {reads.count:.0f} requests; {TICKETS} were sent"
    )


def test_invalid_ids_count_under_the_route_too(client: TestClient) -> None:
    for path in ["/api/v1/tickets/abc", "/api/v1/tickets/1.5", "/api/v1/tickets/-x"]:
        response = client.get(path)
        assert response.status_code == 422, answered(f"GET {path}", response, 422)
    series = [s for s in scrape(client) if s.status == "422"]
    assert [(s.route, s.count) for s in series] == [(TEMPLATE, 3)], (
        "three requests the ticket route refused (422) should make one series, "
        f'route="{TEMPLATE}" and status="422", counting 3; they made {labels_of(series)}'
    )


def test_paths_no_route_matches_share_one_series(client: TestClient) -> None:
    for path in SCANNED:
        response = client.get(path)
        assert response.status_code == 404, answered(f"GET {path}", response, 404)
    series = [s for s in scrape(client) if s.status == "404"]
    assert len(series) == 1, (
        f"{len(SCANNED)} requests to paths no route matches (a scanner's: /wp-login.php, "
        f"/.env...) made {len(series)} series ({labels_of(series)}); a scanner could make "
        "millions. They should share one series, with one fixed route label"
    )
    (unmatched,) = series
    assert unmatched.route not in SCANNED, (
        f'the paths no route matches were all labelled route="{unmatched.route}", one of '
        "them: label them with a fixed name of their own, such as unmatched"
    )
    assert unmatched.count == len(SCANNED), (
        f"the unmatched series counted {unmatched.count:.0f} requests; {len(SCANNED)} were sent"
    )
