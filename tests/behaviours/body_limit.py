"""Lesson 08's body limit, kept by every lesson after it: a body over the limit is a 413.

A client must not make the server hold an unbounded body: a declared `Content-Length` over the
limit is refused before the app runs, and a streamed (chunked) body is refused at the first chunk
that crosses it, with FastAPI's `{"detail": ...}` shape. The conftest gives the `settings`, an
`app`, a `client`, the `tickets_path` and a technician's `tech_headers`.
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from importlib import import_module
from typing import Any

import pytest
from fastapi import FastAPI, HTTPException
from fastapi.testclient import TestClient
from pydantic_settings import BaseSettings
from starlette.types import ASGIApp, Message, Receive, Scope, Send

Headers = dict[str, str]
ONE_MIB = 1024 * 1024
TOO_LARGE = {"detail": f"Request body too large: the limit is {ONE_MIB} bytes"}


def post_raw(client: TestClient, path: str, headers: Headers, content: Any) -> Any:
    return client.post(
        path, content=content, headers={**headers, "Content-Type": "application/json"}
    )


def body_limit(app: FastAPI, inner: ASGIApp) -> Any:
    """The app's own body-limit middleware, wrapped around `inner` with the app's limit."""
    [limit] = [
        m
        for m in app.user_middleware
        if getattr(m.cls, "__name__", "") == "BodySizeLimitMiddleware"
    ]
    return limit.cls(inner, *limit.args, **limit.kwargs)


def test_a_body_declared_over_one_mib_is_413(
    client: TestClient, tickets_path: str, tech_headers: Headers
) -> None:
    response = post_raw(client, tickets_path, tech_headers, b" " * (ONE_MIB + 1))
    assert (response.status_code, response.json()) == (413, TOO_LARGE)


def test_a_streamed_body_over_one_mib_is_413_before_it_ends(
    client: TestClient, tickets_path: str, tech_headers: Headers
) -> None:
    def chunks() -> Iterator[bytes]:  # no Content-Length: chunked transfer
        for _ in range(100):
            yield b" " * (64 * 1024)

    response = post_raw(client, tickets_path, tech_headers, chunks())
    assert (response.status_code, response.json()) == (413, TOO_LARGE)


def test_a_body_of_exactly_one_mib_is_read(
    client: TestClient, tickets_path: str, tech_headers: Headers
) -> None:
    response = post_raw(client, tickets_path, tech_headers, b"{}" + b" " * (ONE_MIB - 2))
    assert response.status_code == 422  # read and validated: the fields are missing


def test_a_declared_length_over_the_limit_is_refused_before_the_app_reads_a_byte(
    app: FastAPI,
) -> None:
    async def inner(scope: Scope, receive: Receive, send: Send) -> None:
        raise AssertionError("the app ran")

    async def receive() -> Message:
        raise AssertionError("the body was read")

    sent: list[Message] = []

    async def send(message: Message) -> None:
        sent.append(message)

    scope: Scope = {"type": "http", "headers": [(b"content-length", str(ONE_MIB + 1).encode())]}
    asyncio.run(body_limit(app, inner)(scope, receive, send))
    assert sent[0]["status"] == 413


def test_the_limit_stops_reading_at_the_first_chunk_over_it(app: FastAPI) -> None:
    chunks_read = 0

    async def receive() -> Message:  # an endless stream of 600 kB chunks
        nonlocal chunks_read
        chunks_read += 1
        return {"type": "http.request", "body": b" " * 600_000, "more_body": True}

    async def read_everything(scope: Scope, receive: Receive, send: Send) -> None:
        while (await receive()).get("more_body"):
            pass

    async def send(message: Message) -> None:
        raise AssertionError("nothing is sent before the limit is hit")

    with pytest.raises(HTTPException) as refusal:
        asyncio.run(
            body_limit(app, read_everything)({"type": "http", "headers": []}, receive, send)
        )
    assert refusal.value.status_code == 413
    assert chunks_read == 2  # 1.2 MB read, not one byte more


def test_the_limit_is_a_setting(
    settings: BaseSettings, tickets_path: str, tech_headers: Headers
) -> None:
    create_app = import_module(f"{type(settings).__module__.rpartition('.')[0]}.main").create_app
    with TestClient(create_app(settings.model_copy(update={"max_body_bytes": 100}))) as client:
        assert post_raw(client, tickets_path, tech_headers, b" " * 100).status_code == 422
        assert post_raw(client, tickets_path, tech_headers, b" " * 101).status_code == 413


def test_every_operation_that_takes_a_body_documents_the_413(client: TestClient) -> None:
    paths = client.get("/openapi.json").json()["paths"]
    taking_a_body = {
        f"{method.upper()} {path}": operation["responses"]
        for path, operations in paths.items()
        for method, operation in operations.items()
        if "requestBody" in operation
    }
    assert taking_a_body  # not vacuously
    undocumented = [name for name, responses in taking_a_body.items() if "413" not in responses]
    assert not undocumented, f"these take a body but do not document the 413: {undocumented}"
