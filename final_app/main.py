"""The app factory: `create_app(settings)` wires settings, database, routers and docs.

`app = create_app()` is what uvicorn serves (`uvicorn final_app.main:app`); tests build their
own app from their own settings.
"""

from __future__ import annotations

import json
import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

from fastapi import FastAPI, Request, status
from fastapi.encoders import jsonable_encoder
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from fastapi.staticfiles import StaticFiles
from sqlalchemy.exc import IntegrityError, OperationalError, ProgrammingError
from starlette.concurrency import run_in_threadpool

from final_app.api import auth, docs, health, tickets, tracking, users
from final_app.config import Settings
from final_app.db import Database
from final_app.middleware import BodySizeLimitMiddleware
from final_app.services import users as user_service
from final_app.services.errors import ConflictError, NotFoundError

logger = logging.getLogger("final_app")
STATIC_DIR = Path(__file__).parent / "static"


def configure_logging(level: str) -> None:
    """Log to stderr at `level`, beside uvicorn's own lines (once per process)."""
    if not logger.handlers:
        handler = logging.StreamHandler()
        handler.setFormatter(logging.Formatter("%(levelname)s:     %(name)s: %(message)s"))
        logger.addHandler(handler)
    logger.setLevel(level)


# --8<-- [start:lifespan]
@asynccontextmanager
async def lifespan(app: FastAPI) -> AsyncIterator[None]:
    settings: Settings = app.state.settings
    database: Database = app.state.database
    if settings.uses_development_secret:
        logger.warning(
            "REPAIRDESK_SECRET_KEY is not set: tokens are signed with the public development "
            "key. Anyone can forge them. Set it (and REPAIRDESK_PRODUCTION=1) before deploying."
        )
    if settings.admin_email and settings.admin_password:
        try:
            created = await database.run(
                user_service.ensure_admin,
                settings.admin_email,
                settings.admin_password.get_secret_value(),
            )
        except IntegrityError:  # another replica created it at the same moment
            created = False
        except (OperationalError, ProgrammingError) as error:
            raise RuntimeError(
                "Cannot create the admin user: is the database migrated? "
                "Run `python -m final_app migrate` first."
            ) from error
        if created:
            logger.info("created admin user %s", settings.admin_email)
    yield
    await run_in_threadpool(database.dispose)


# --8<-- [end:lifespan]


async def not_found(_: Request, exc: Exception) -> JSONResponse:
    return JSONResponse({"detail": str(exc)}, status_code=status.HTTP_404_NOT_FOUND)


async def conflict(_: Request, exc: Exception) -> JSONResponse:
    return JSONResponse({"detail": str(exc)}, status_code=status.HTTP_409_CONFLICT)


class ASCIIJSONResponse(JSONResponse):
    """JSON with every non-ASCII character escaped (`\\u00e9`): it can carry any string.

    A lone surrogate such as `"\\ud800"` is valid in JSON but has no UTF-8 encoding, so a 422
    that echoes it back as FastAPI's own handler does would fail to render and become a 500.
    """

    def render(self, content: Any) -> bytes:
        return json.dumps(content, allow_nan=False, separators=(",", ":")).encode("ascii")


async def invalid_request(_: Request, exc: RequestValidationError) -> JSONResponse:
    """FastAPI's 422, rendered so that whatever the client sent can be quoted back."""
    return ASCIIJSONResponse(
        {"detail": jsonable_encoder(exc.errors())},
        status_code=status.HTTP_422_UNPROCESSABLE_CONTENT,
    )


# --8<-- [start:create-app]
def create_app(settings: Settings | None = None) -> FastAPI:
    settings = settings or Settings()
    configure_logging(settings.log_level)
    app = FastAPI(
        title="RepairDesk",
        version="1.0.0",
        summary="Repair tickets for a device-repair shop: intake, workflow, customer tracking.",
        lifespan=lifespan,
        docs_url=None,  # served from local assets by `docs.router`
        redoc_url=None,
    )
    app.state.settings = settings
    app.state.database = Database(settings.database_url, threads=settings.db_threads)
    app.add_middleware(BodySizeLimitMiddleware, max_body_bytes=settings.max_body_bytes)
    # The decorator, called directly: it accepts a handler typed for its own exception.
    app.exception_handler(RequestValidationError)(invalid_request)
    app.add_exception_handler(NotFoundError, not_found)
    app.add_exception_handler(ConflictError, conflict)
    for module in (auth, users, tickets, tracking, health, docs):
        app.include_router(module.router)
    app.mount("/static", StaticFiles(directory=STATIC_DIR), name="static")
    return app


# --8<-- [end:create-app]

app = create_app()
