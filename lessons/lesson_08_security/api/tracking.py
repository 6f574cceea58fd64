"""`GET /track/{code}`: the public page a customer checks, no token needed."""

from http import HTTPStatus
from typing import Annotated

from fastapi import APIRouter, HTTPException, Path
from sqlalchemy import select

from ..db import SessionDep
from ..models import Ticket
from ..schemas import TrackingRead
from .responses import NOT_FOUND, SERVER_ERROR

router = APIRouter(prefix="/track", tags=["tracking"], responses=SERVER_ERROR)


@router.get("/{tracking_code}", responses=NOT_FOUND)
def track_ticket(
    tracking_code: Annotated[str, Path(pattern=r"^[A-Za-z0-9_-]{1,64}$", max_length=64)],
    session: SessionDep,
) -> TrackingRead:
    """Status, device and last update of the ticket with this code; nothing else."""
    ticket = session.scalar(select(Ticket).where(Ticket.tracking_code == tracking_code))
    if ticket is None:
        raise HTTPException(HTTPStatus.NOT_FOUND, "No ticket with this tracking code")
    return TrackingRead.model_validate(ticket)
