"""Stop a blocking call from freezing the server.

--8<-- [start:task]
**Ticket RD-601.** `POST /tickets/{ticket_id}/notify` texts the customer that their device is
ready, through the SMS gateway's SDK, `send_sms`, a blocking call that takes a second and a
half. The endpoint is `async def`, so that time is spent on the event loop: while one customer
is notified, the server answers nobody, not even `GET /health`. Make the endpoint async-safe,
without changing `send_sms`: the check notifies a customer and, meanwhile, expects `/health` to
answer in under 0.75 s.
--8<-- [end:task]
"""

import time

from fastapi import FastAPI

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
    # TODO: send_sms blocks, and an `async def` endpoint runs on the event loop.
    send_sms(PHONES[ticket_id], f"Your device (ticket {ticket_id}) is ready for collection.")
    return {"status": "sent"}
