"""An async client on an app in this process, started and stopped as a server would.

A TestClient sends one request at a time; tests that need requests at the same moment use
httpx's `ASGITransport`, which sends requests and nothing else. Without the lifespan, an app of
lesson 09 on would have no password threads, and nothing would close its database's pool.
`started_client(app)` runs the lifespan around the client.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import httpx2
from fastapi import FastAPI


@asynccontextmanager
async def started_client(app: FastAPI) -> AsyncIterator[httpx2.AsyncClient]:
    """A client on `app` between its start-up and its shutdown."""
    async with app.router.lifespan_context(app):
        transport = httpx2.ASGITransport(app=app)
        async with httpx2.AsyncClient(transport=transport, base_url="http://test") as client:
            yield client
