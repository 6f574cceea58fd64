"""What the service says about itself: what it is, and whether it is up."""

from fastapi import APIRouter

router = APIRouter(tags=["service"])


@router.get("/")
def read_root() -> dict[str, str]:
    """Say what this service is and where its interactive documentation lives."""
    return {"service": "RepairDesk", "docs": "/docs"}


@router.get("/health")
async def health() -> dict[str, str]:
    """Answer as long as the event loop runs. Nothing here blocks: `async def` is right."""
    return {"status": "ok"}
