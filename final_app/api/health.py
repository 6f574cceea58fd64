"""Health probes: liveness (the process answers) and readiness (the database is usable)."""

from __future__ import annotations

import logging
from functools import cache

from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from fastapi import APIRouter, HTTPException, status
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session

from ..api.deps import DatabaseDep
from ..api.responses import SERVER_ERROR, error
from ..migrate import MIGRATIONS_DIR
from ..schemas import Health

router = APIRouter(prefix="/health", tags=["health"], responses=SERVER_ERROR)
logger = logging.getLogger(__name__)


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
        f"the code needs {', '.join(sorted(expected))}): run `python -m final_app migrate`"
    )


# --8<-- [end:migration-problem]


@router.get("/ready", responses={503: error("The database does not answer or is not migrated")})
async def ready(database: DatabaseDep) -> Health:
    """200 when the database answers and is migrated: send traffic only then."""
    try:
        problem = await database.run(migration_problem)
    except SQLAlchemyError as exc:
        logger.warning("readiness check failed: %s", type(exc).__name__)
        raise HTTPException(
            status_code=status.HTTP_503_SERVICE_UNAVAILABLE, detail="The database does not answer"
        ) from None
    if problem is not None:
        logger.warning("readiness check failed: %s", problem)
        raise HTTPException(status_code=status.HTTP_503_SERVICE_UNAVAILABLE, detail=problem)
    return Health()
