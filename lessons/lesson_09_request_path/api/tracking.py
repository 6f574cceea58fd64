"""`GET /api/v1/track/{code}`: the public page a customer checks, no token needed."""

from typing import Annotated

from fastapi import APIRouter, Path

from ..schemas import TrackingRead
from ..services import tickets
from .deps import DatabaseDep
from .responses import NOT_FOUND, SERVER_ERROR

router = APIRouter(prefix="/api/v1/track", tags=["tracking"], responses=SERVER_ERROR)


@router.get("/{tracking_code}", responses=NOT_FOUND)
async def track_ticket(
    tracking_code: Annotated[str, Path(pattern=r"^[A-Za-z0-9_-]{1,64}$", max_length=64)],
    database: DatabaseDep,
) -> TrackingRead:
    """Status, device and last update of the ticket with this code; nothing else."""
    return await database.run(tickets.track_ticket, tracking_code)
