"""Wait for two things at once.

--8<-- [start:task]
**Ticket RD-602.** `GET /tickets/{ticket_id}/estimate` asks the parts supplier whether the part
is in stock and the courier what delivery costs. Both are `async` calls of about half a second
each, independent of each other, yet the endpoint awaits one, then the other: a second. Run
them concurrently so that the estimate takes about as long as the slower of the two, with the
same answer. Leave `parts_in_stock` and `courier_quote` as they are.
--8<-- [end:task]
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
    # TODO: the two calls are independent: run them concurrently.
    in_stock = await parts_in_stock(ticket_id)
    delivery = await courier_quote(ticket_id)
    return Estimate(ticket_id=ticket_id, part_in_stock=in_stock, delivery_cost=delivery)
