"""The app factory: `create_app(settings)` builds a complete app from its settings alone.

Nothing is read from module globals: the tests build as many apps as they like, each with its
own settings and database, and the server builds one from the environment (`app.py`). The
engine lives exactly as long as the app: opened by the lifespan when the server starts,
disposed of when it stops.
"""

import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI

from . import users as user_service
from .api import auth, service, tickets, tracking, users
from .config import Settings
from .db import Database, create_db_engine
from .errors import register_error_handlers
from .middleware import BodySizeLimitMiddleware
from .migrate import ensure_migrated
from .security import Passwords

logger = logging.getLogger(__package__)


# --8<-- [start:create-app]
def create_app(settings: Settings) -> FastAPI:
    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        """Before the first request: connect, check the schema, create the admin. After: close."""
        database = Database(create_db_engine(settings))
        # Blocking calls on the event loop, harmless here: they run before the first request and
        # after the last, when no request is waiting.
        passwords = Passwords(settings.password_threads)  # hashes the dummy password
        try:
            ensure_migrated(database.engine)  # fail at start-up, not on the first request
            if settings.admin_email and settings.admin_password:
                password_hash = await passwords.hash(settings.admin_password.get_secret_value())
                with database.sessions() as session, session.begin():  # committed unless it raised
                    created = user_service.ensure_admin(
                        session, settings.admin_email, password_hash
                    )
                if created:
                    logger.info("created admin user %s", settings.admin_email)
            app.state.database = database
            app.state.passwords = passwords
            yield
        finally:
            database.engine.dispose()  # close the pooled connections
            passwords.close()  # stop its threads

    app = FastAPI(
        title="RepairDesk",
        summary="Repair tickets for a device-repair shop.",
        lifespan=lifespan,
    )
    app.state.settings = settings
    app.add_middleware(BodySizeLimitMiddleware, max_body_bytes=settings.max_body_bytes)
    register_error_handlers(app)
    app.include_router(service.router)
    app.include_router(auth.router)
    app.include_router(users.router)
    app.include_router(tickets.router)
    app.include_router(tracking.router)
    return app


# --8<-- [end:create-app]
