"""Checks that the estimate is right and takes about as long as one call, not two.

--8<-- [start:hint]
Calling an `async def` function gives a coroutine; `await` runs it to the end before the
next line starts. `asyncio.gather(first, second)` runs both coroutines at once and returns
their results in order: `in_stock, delivery = await asyncio.gather(parts_in_stock(ticket_id),
courier_quote(ticket_id))`. An `asyncio.TaskGroup` works too.
--8<-- [end:hint]
"""

import time
from decimal import Decimal
from types import ModuleType

from fastapi.testclient import TestClient

from exercises.checks.words import answered


def test_the_estimate_is_right(client: TestClient) -> None:
    response = client.get("/tickets/3/estimate")
    assert response.status_code == 200, answered("GET /tickets/3/estimate", response, 200)
    body = response.json()
    assert body["part_in_stock"] is True, f"ticket 3's part is in stock; the estimate says {body}"
    assert Decimal(body["delivery_cost"]) == Decimal("6.50"), f"delivery is 6.50; got {body}"


def test_the_estimate_takes_as_long_as_the_slower_call(
    client: TestClient, module: ModuleType
) -> None:
    assert module.CALL_SECONDS == 0.5, "leave CALL_SECONDS at 0.5: the check times the calls"
    one_call = 0.5
    client.get("/tickets/1/estimate")  # warm up: the first request pays for start-up costs
    started = time.perf_counter()
    response = client.get("/tickets/1/estimate")
    took = time.perf_counter() - started
    assert response.status_code == 200, answered("GET /tickets/1/estimate", response, 200)
    assert took < one_call * 1.6, (
        f"the estimate took {took:.2f} s, about two calls of {one_call} s one after the other: "
        "the second call waits for the first"
    )
