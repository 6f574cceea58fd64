"""Health probes: liveness (the process answers) and readiness (send it traffic now).

A proxy or an orchestrator asks each replica. Readiness answers 503 when the database does not
answer or is behind the code's migrations, and from the moment the process is asked to stop
(SIGTERM): a replica that is draining finishes what it has and takes nothing new. A database
*ahead* of the code is ready: a release migrates first, and the old replicas serve on until the
new ones replace them.
"""

from __future__ import annotations

import logging
from functools import cache
from typing import Annotated, cast

from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from fastapi import APIRouter, Depends, HTTPException, Request, status
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session

from ..api.deps import DatabaseDep
from ..api.responses import SERVER_ERROR, error
from ..migrate import MIGRATE_COMMAND, MIGRATIONS_DIR
from ..schemas import Health
from ..shutdown import Draining

router = APIRouter(prefix="/health", tags=["health"], responses=SERVER_ERROR)
logger = logging.getLogger(__name__)
DRAINING = "The server is shutting down: send new requests to another replica"


@router.get("/live")
async def live() -> Health:
    """200 while the process runs: restart it when this fails."""
    return Health()


# --8<-- [start:migration-problem]
@cache  # the scripts cannot change under a running process
def migration_heads() -> frozenset[str]:
    """The revisions the code expects, read from the migration scripts themselves."""
    return frozenset(ScriptDirectory(str(MIGRATIONS_DIR)).get_heads())


@cache
def known_revisions() -> frozenset[str]:
    """Every revision the code's migration scripts know: the heads and all before them."""
    scripts = ScriptDirectory(str(MIGRATIONS_DIR))
    return frozenset(script.revision for script in scripts.walk_revisions())


@cache  # once per process and revision: probes come every few seconds
def warn_database_ahead(revisions: frozenset[str]) -> None:
    logger.warning(
        "The database is at revision %s, which this code's migrations do not know: a newer "
        "release's, presumably, so readiness answers 200. If no release is under way, check "
        "REPAIRDESK_DATABASE_URL: it may name another app's database",
        ", ".join(sorted(revisions)),
    )


def migration_problem(session: Session) -> str | None:
    """What is wrong with the database's migration revision, or None when the code can use it.

    The code can use its head, and a database ahead of it: at a revision these scripts do not
    know, written by the next release's migration, which runs before the new replicas replace
    the old ones. Releases migrate expand/contract (a migration only adds what older code
    ignores; what it stops using is dropped a release later), so the old replicas keep serving.

    An unknown revision is all the probe sees: a newer release's database and another app's
    (a wrong URL) look the same, and only the newer scripts could tell them apart. Both answer
    ready, with one warning per process naming the revision; on another app's database, the
    requests then fail on missing tables (500s, logged as errors) below that warning.
    """
    current = frozenset(MigrationContext.configure(session.connection()).get_current_heads())
    expected = migration_heads()
    if current == expected:
        return None
    # A newer release's migrations start from our head: the database then holds only theirs.
    unknown = current - known_revisions()
    if unknown:
        warn_database_ahead(unknown)
        return None
    return (
        f"The database is not migrated (at revision {', '.join(sorted(current)) or 'none'}, "
        f"the code needs {', '.join(sorted(expected))}): run `{MIGRATE_COMMAND}`"
    )


# --8<-- [end:migration-problem]


async def get_draining(request: Request) -> Draining:
    return cast(Draining, request.app.state.draining)


DrainingDep = Annotated[Draining, Depends(get_draining)]


def not_ready(detail: str, cause: str = "") -> HTTPException:
    logger.warning("readiness check failed: %s%s", detail, f" ({cause})" if cause else "")
    return HTTPException(status_code=status.HTTP_503_SERVICE_UNAVAILABLE, detail=detail)


# --8<-- [start:ready]
@router.get(
    "/ready",
    responses={503: error("Shutting down, or the database does not answer or is not migrated")},
)
async def ready(database: DatabaseDep, draining: DrainingDep) -> Health:
    """200 when the database answers and is migrated, until SIGTERM: send traffic only then."""
    try:
        problem = await database.read(migration_problem)
    except SQLAlchemyError as exc:
        raise not_ready("The database does not answer", type(exc).__name__) from None
    if problem is not None:
        raise not_ready(problem)
    # Checked last: SIGTERM may have come while the database answered.
    if draining.begun:
        raise not_ready(DRAINING)
    return Health()


# --8<-- [end:ready]
