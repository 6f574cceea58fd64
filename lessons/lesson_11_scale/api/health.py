"""Health probes: liveness (the process answers) and readiness (send it traffic now).

A proxy or an orchestrator asks each replica. Readiness answers 503 when the database does not
answer or is not migrated, and from the moment the process is asked to stop (SIGTERM): a
replica that is draining finishes what it has and takes nothing new.
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


def migration_problem(session: Session) -> str | None:
    """What is wrong with the database's migration revision, or None when it is the head."""
    current = frozenset(MigrationContext.configure(session.connection()).get_current_heads())
    expected = migration_heads()
    if current == expected:
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
        problem = await database.run(migration_problem)
    except SQLAlchemyError as exc:
        raise not_ready("The database does not answer", type(exc).__name__) from None
    if problem is not None:
        raise not_ready(problem)
    # Checked last: SIGTERM may have come while the database answered.
    if draining.begun:
        raise not_ready(DRAINING)
    return Health()


# --8<-- [end:ready]
