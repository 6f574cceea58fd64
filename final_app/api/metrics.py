"""`GET /metrics`: this process's metrics, in the format the scraper asks for.

Left out of the OpenAPI document: Prometheus reads it, not API clients, and a proxy in front
of the replicas should not serve it at all (scrape each replica directly).
"""

from __future__ import annotations

from typing import cast

from fastapi import APIRouter, Request, Response
from prometheus_client.exposition import choose_encoder

from ..metrics import Metrics

router = APIRouter()


@router.get("/metrics", include_in_schema=False)
async def metrics(request: Request) -> Response:
    registry = cast(Metrics, request.app.state.metrics).registry
    encode, content_type = choose_encoder(request.headers.get("accept", ""))
    return Response(encode(registry), media_type=content_type)
