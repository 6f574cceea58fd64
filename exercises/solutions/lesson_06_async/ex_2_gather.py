"""Exercise 06.2, solved: two independent awaits run concurrently with `asyncio.gather`.

Both coroutines start at once and the endpoint waits for the slower one. `asyncio.TaskGroup`
does the same and cancels the other call when one fails.
"""

import asyncio
from decimal import Decimal

from fastapi import FastAPI
from pydantic import BaseModel

CALL_SECONDS = 0.5

app = FastAPI(title="RepairDesk, exercise 06.2")


class Estimate(BaseModel):
    ticket_id: int
    part_in_stock: bool
    delivery_cost: Decimal


async def parts_in_stock(ticket_id: int) -> bool:
    """Ask the parts supplier's API (simulated)."""
    await asyncio.sleep(CALL_SECONDS)
    return ticket_id % 2 == 1


async def courier_quote(ticket_id: int) -> Decimal:
    """Ask the courier's API (simulated)."""
    await asyncio.sleep(CALL_SECONDS)
    return Decimal("6.50")


@app.get("/tickets/{ticket_id}/estimate")
async def estimate(ticket_id: int) -> Estimate:
    """Whether the part is in stock and what delivery costs."""
    in_stock, delivery = await asyncio.gather(parts_in_stock(ticket_id), courier_quote(ticket_id))
    return Estimate(ticket_id=ticket_id, part_in_stock=in_stock, delivery_cost=delivery)
