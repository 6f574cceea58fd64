"""Pure ASGI middleware: a body-size limit, request ids, and a JSON 500 as the last resort.

`BodySizeLimitMiddleware` refuses request bodies over the limit with 413, without reading them
into memory: it checks the declared `Content-Length` before the app runs, and counts the bytes
of a streamed (chunked) body as they arrive, stopping at the limit.
"""

from __future__ import annotations

import logging
import re
import uuid
from contextvars import ContextVar

from fastapi import HTTPException, status
from starlette.datastructures import Headers
from starlette.responses import JSONResponse
from starlette.types import ASGIApp, Message, Receive, Scope, Send

logger = logging.getLogger(__name__)


class BodySizeLimitMiddleware:
    def __init__(self, app: ASGIApp, *, max_body_bytes: int) -> None:
        self.app = app
        self.max_body_bytes = max_body_bytes

    def _too_large(self) -> str:
        return f"Request body too large: the limit is {self.max_body_bytes} bytes"

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        declared = dict(scope["headers"]).get(b"content-length")
        if declared is not None and declared.isdigit() and int(declared) > self.max_body_bytes:
            response = JSONResponse(
                {"detail": self._too_large()}, status.HTTP_413_CONTENT_TOO_LARGE
            )
            await response(scope, receive, send)
            return

        received = 0

        async def limited_receive() -> Message:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > self.max_body_bytes:
                    # Raised while the app reads the body: FastAPI answers it like any
                    # HTTPException, with {"detail": ...}.
                    raise HTTPException(status.HTTP_413_CONTENT_TOO_LARGE, self._too_large())
            return message

        await self.app(scope, limited_receive, send)


# --8<-- [start:request-id]
REQUEST_ID_HEADER = "X-Request-ID"
# What a proxy's or client's id must look like to be kept: short, and harmless in a log line.
SAFE_REQUEST_ID = re.compile(r"[A-Za-z0-9._:-]{1,64}")
request_id: ContextVar[str] = ContextVar("request_id", default="-")


class RequestIdMiddleware:
    """Give every request an id: the client's or proxy's `X-Request-ID` if sane, else a new one.

    The response carries it back in `X-Request-ID`, and the `request_id` context variable holds
    it while the request runs (in worker threads too), for log lines and error messages.
    """

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        proposed = Headers(scope=scope).get(REQUEST_ID_HEADER, "")
        current = proposed if SAFE_REQUEST_ID.fullmatch(proposed) else uuid.uuid4().hex
        # Appended as raw bytes: the app never sets this header itself, and every request
        # pays for this line.
        header = (REQUEST_ID_HEADER.lower().encode(), current.encode())

        async def send_with_id(message: Message) -> None:
            if message["type"] == "http.response.start":
                message["headers"] = [*message.get("headers", ()), header]
            await send(message)

        token = request_id.set(current)
        try:
            await self.app(scope, receive, send_with_id)
        finally:
            request_id.reset(token)


class RequestIdLogFilter(logging.Filter):
    """Adds `request_id` to every record, so a format can show it: `%(request_id)s`."""

    def filter(self, record: logging.LogRecord) -> bool:
        record.request_id = request_id.get()
        return True


REQUEST_ID_LOG_FILTER = RequestIdLogFilter()


# --8<-- [end:request-id]


# --8<-- [start:internal-error]
class InternalErrorMiddleware:
    """An exception nothing handled: a JSON 500 naming the request id, logged once.

    Starlette's own last resort (ServerErrorMiddleware) answers in plain text, and then
    re-raises, so the server logs the same traceback a second time. Stopping it here, inside
    `RequestIdMiddleware`, the log line and the client's message quote the same id.
    """

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        response_started = False

        async def watched_send(message: Message) -> None:
            nonlocal response_started
            response_started |= message["type"] == "http.response.start"
            await send(message)

        try:
            await self.app(scope, receive, watched_send)
        except Exception:
            current = request_id.get()
            logger.exception(
                "unhandled error in %s %s (request id %s)", scope["method"], scope["path"], current
            )
            if response_started:  # too late for a 500: the server closes the connection
                return
            detail = f"Internal server error; quote request id {current} when reporting it"
            response = JSONResponse({"detail": detail}, status.HTTP_500_INTERNAL_SERVER_ERROR)
            await response(scope, receive, send)


# --8<-- [end:internal-error]
