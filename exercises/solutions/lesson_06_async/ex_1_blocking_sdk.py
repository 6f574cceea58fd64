"""Exercise 06.1, solved: the blocking call runs in a worker thread, the event loop stays free.

Two fixes work. This one keeps `async def` and hands the blocking call to the threadpool with
`run_in_threadpool` (`asyncio.to_thread` would do too). The other makes the endpoint a plain
`def`, which FastAPI runs in that same threadpool: simpler, when nothing else in it awaits.
"""

import time

from fastapi import FastAPI
from fastapi.concurrency import run_in_threadpool

SMS_SECONDS = 1.5

app = FastAPI(title="RepairDesk, exercise 06.1")
PHONES = {1: "+31 6 1234 5678"}


def send_sms(phone: str, text: str) -> None:
    """The SMS gateway's SDK: a blocking network call, as most SDKs are."""
    time.sleep(SMS_SECONDS)


@app.get("/health")
async def health() -> dict[str, str]:
    return {"status": "ok"}


@app.post("/tickets/{ticket_id}/notify")
async def notify_customer(ticket_id: int) -> dict[str, str]:
    """Tell the customer their device is ready."""
    text = f"Your device (ticket {ticket_id}) is ready for collection."
    await run_in_threadpool(send_sms, PHONES[ticket_id], text)
    return {"status": "sent"}
