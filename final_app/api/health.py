"""Health probes: liveness (the process answers) and readiness (the database answers too)."""

from __future__ import annotations

import logging

from fastapi import APIRouter, HTTPException, status
from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session

from final_app.api.deps import DatabaseDep
from final_app.api.responses import error
from final_app.schemas import Health

router = APIRouter(prefix="/health", tags=["health"])
logger = logging.getLogger(__name__)


@router.get("/live")
async def live() -> Health:
    """200 while the process runs: restart it when this fails."""
    return Health()


def _ping(session: Session) -> None:
    session.execute(text("SELECT 1"))


@router.get("/ready", responses={503: error("The database does not answer")})
async def ready(database: DatabaseDep) -> Health:
    """200 when the database answers: send traffic only then."""
    try:
        await database.run(_ping)
    except SQLAlchemyError as exc:
        logger.warning("readiness check failed: %s", type(exc).__name__)
        raise HTTPException(
            status_code=status.HTTP_503_SERVICE_UNAVAILABLE, detail="The database does not answer"
        ) from None
    return Health()
