"""The app factory: `create_app(settings)` builds a complete app from its settings.

Nothing is read from globals: the tests build as many apps as they like, each with its own
settings and database, and the server builds one from the environment (`app.py`). The
engine lives exactly as long as the app: made by the lifespan on start-up, disposed on
shutdown.
"""

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import TypedDict

from fastapi import FastAPI
from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker

from .db import create_db_engine
from .errors import register_error_handlers
from .migrate import ensure_migrated
from .routers import auth, service, tickets
from .settings import Settings


class State(TypedDict):
    """What the lifespan hands every request, as `request.state.<key>`."""

    settings: Settings
    engine: Engine
    session_factory: sessionmaker[Session]


# --8<-- [start:factory]
def create_app(settings: Settings) -> FastAPI:
    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[State]:
        engine = create_db_engine(settings)
        try:
            ensure_migrated(engine)
            yield {
                "settings": settings,
                "engine": engine,
                "session_factory": sessionmaker(engine, expire_on_commit=False),
            }
        finally:
            engine.dispose()

    app = FastAPI(
        title="RepairDesk",
        summary="Repair tickets for a device-repair shop.",
        lifespan=lifespan,
    )
    register_error_handlers(app)
    app.include_router(service.router)
    app.include_router(auth.router)
    app.include_router(tickets.router)
    return app


# --8<-- [end:factory]
