"""What the service says about itself: what it is, and whether it can reach its database."""

from fastapi import APIRouter
from sqlalchemy import text

from ..db import SessionDep

router = APIRouter(tags=["service"])


@router.get("/")
def read_root() -> dict[str, str]:
    """Say what this service is and where its interactive documentation lives."""
    return {"service": "RepairDesk", "docs": "/docs"}


@router.get("/health")
def read_health(db: SessionDep) -> dict[str, str]:
    """Answer 200 once the database answers: what a load balancer or container probe asks."""
    db.execute(text("SELECT 1"))
    return {"status": "ok"}
