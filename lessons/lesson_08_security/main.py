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


def configure_logging(level: str) -> None:
    """Log to stderr at `level`, beside uvicorn's own lines (once per process)."""
    if not logger.handlers:
        handler = logging.StreamHandler()
        handler.setFormatter(logging.Formatter("%(levelname)s:     %(name)s: %(message)s"))
        logger.addHandler(handler)
    logger.setLevel(level)


# --8<-- [start:create-app]
def create_app(settings: Settings) -> FastAPI:
    configure_logging(settings.log_level)

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        """Before the first request: connect, check the schema, create the admin. After: close."""
        database = Database(create_db_engine(settings))
        if settings.uses_development_secret:
            logger.warning(
                "REPAIRDESK_SECRET_KEY is not set: tokens are signed with the public development "
                "key. Anyone can forge them. Set it (and REPAIRDESK_PRODUCTION=1) before deploying."
            )
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
        version="1.0.0",
        summary="Repair tickets for a device-repair shop: intake, workflow, customer tracking.",
        openapi_tags=[
            {"name": "auth", "description": "Sign in: an email and a password for a token."},
            {"name": "users", "description": "Accounts: who am I; admins manage the rest."},
            {"name": "tickets", "description": "Repair tickets and their life cycle."},
            {"name": "tracking", "description": "What a customer sees, with no account."},
            {"name": "service", "description": "What the service is, and whether it is up."},
        ],
        lifespan=lifespan,
        # Operation ids from the endpoint's name (`create_ticket`), not FastAPI's default
        # `create_ticket_tickets_post`: generated clients read well.
        generate_unique_id_function=lambda route: route.name,
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
