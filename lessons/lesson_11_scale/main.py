"""The app factory: `create_app(settings)` builds a complete app from its settings alone.

Nothing is read from module globals: the tests build as many apps as they like, each with its
own settings and database, and the server builds one from the environment (`app`, below). The
database lives exactly as long as the app: built with it, disposed of by the lifespan when the
server stops.
"""

import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI
from sqlalchemy.exc import IntegrityError, OperationalError, ProgrammingError
from starlette.concurrency import run_in_threadpool

from .api import auth, health, metrics, tickets, tracking, users
from .config import Settings
from .db import Database
from .errors import register_error_handlers
from .logs import configure_logging
from .metrics import Metrics, MetricsMiddleware
from .middleware import BodySizeLimitMiddleware, InternalErrorMiddleware, RequestIdMiddleware
from .security import Passwords, TokenVerifier
from .services import users as user_service
from .shutdown import Draining

logger = logging.getLogger(__package__)


# --8<-- [start:create-app]
def create_app(settings: Settings | None = None) -> FastAPI:
    settings = settings or Settings()
    configure_logging(settings.log_level, settings.log_format)

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        """Before the first request: warn, create the admin. After the last: disconnect."""
        database: Database = app.state.database
        if settings.uses_development_secret:
            logger.warning(
                "REPAIRDESK_SECRET_KEY is not set: tokens are signed with the public development "
                "key. Anyone can forge them. Set it (and REPAIRDESK_PRODUCTION=1) before deploying."
            )
        # A blocking call on the event loop, harmless here: it runs before the first request.
        # Made at each start, since a stopped executor takes no more work.
        passwords = Passwords(settings.password_threads)  # hashes the dummy password
        try:
            if settings.admin_email and settings.admin_password:
                password_hash = await passwords.hash(settings.admin_password.get_secret_value())
                try:
                    created = await database.run(
                        user_service.ensure_admin, settings.admin_email, password_hash
                    )
                except IntegrityError:  # another replica created it at the same moment
                    created = False
                except (OperationalError, ProgrammingError) as error:
                    raise RuntimeError(
                        "Cannot create the admin user: is the database migrated? "
                        f"Run `python -m {__package__} migrate` first."
                    ) from error
                if created:
                    logger.info("created admin user %s", settings.admin_email)
            app.state.passwords = passwords
            draining: Draining = app.state.draining
            with draining.on_sigterm():
                yield
        finally:  # a failed start-up too: nothing is left for the garbage collector to close
            await run_in_threadpool(passwords.close)  # waits for the work under way
            await run_in_threadpool(database.dispose)  # close the pooled connections

    app = FastAPI(
        title="RepairDesk",
        version="1.0.0",
        summary="Repair tickets for a device-repair shop: intake, workflow, customer tracking.",
        openapi_tags=[
            {"name": "auth", "description": "Sign in: an email and a password for a token."},
            {"name": "users", "description": "Accounts: who am I; admins manage the rest."},
            {"name": "tickets", "description": "Repair tickets and their life cycle."},
            {"name": "tracking", "description": "What a customer sees, with no account."},
            {"name": "health", "description": "Probes for load balancers and orchestrators."},
        ],
        lifespan=lifespan,
        # Operation ids from the endpoint's name (`create_ticket`), not FastAPI's default
        # `create_ticket_api_v1_tickets_post`: generated clients read well.
        generate_unique_id_function=lambda route: route.name,
    )
    app.state.settings = settings
    app.state.database = Database(
        settings.database_url.get_secret_value(), threads=settings.db_threads
    )
    app.state.token_verifier = TokenVerifier(settings.secret_key.get_secret_value())
    app.state.draining = Draining()
    app.state.metrics = Metrics(app.state.database)
    app.add_middleware(BodySizeLimitMiddleware, max_body_bytes=settings.max_body_bytes)
    app.add_middleware(InternalErrorMiddleware)
    app.add_middleware(MetricsMiddleware, metrics=app.state.metrics)  # sees the 500s too
    # Added last, so outermost: every response carries the id, a 500 and a 413 too.
    app.add_middleware(RequestIdMiddleware)
    register_error_handlers(app)
    app.include_router(auth.router)
    app.include_router(users.router)
    app.include_router(tickets.router)
    app.include_router(tracking.router)
    app.include_router(health.router)
    app.include_router(metrics.router)
    return app


# --8<-- [end:create-app]

app = create_app()
