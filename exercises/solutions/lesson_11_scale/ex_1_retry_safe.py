"""Exercise 11.1, solved: a key is found by user and key, and answers only its own body.

The lookup is by the table's primary key, the pair (user, key): another user's key with the
same value is another row, so Tom's first request creates his own ticket and never reads
Ada's. Clients should pick keys at random (a UUID per create), but the server cannot count on
it: the intake app's form numbers are no more Ada's than Tom's, and a key that finds someone
else's answer hands out their customer's data.

A stored key answers a retry only when the body is the one it was first sent with: the same
digest. Another body under the same key is the client's mistake (a new ticket that reused a
key, or a retry that changed what it asks for), and answering the first ticket would pretend
the new request was honoured. `KeyReusedError` is a 409 that says so, and creates nothing.

Two requests with one key at the same moment (on two replicas) both miss the lookup; the
primary key lets one insert its key, and the other's transaction fails and rolls back with
its ticket, so nothing is stored twice. The lesson's service goes one step further and
answers that second request with the winner's ticket (`ON CONFLICT DO NOTHING`).
"""

from sqlalchemy.orm import Session

from lessons.lesson_11_scale.db import utc_now
from lessons.lesson_11_scale.models import IdempotencyKey
from lessons.lesson_11_scale.schemas import TicketCreate, TicketRead
from lessons.lesson_11_scale.services.idempotency import (
    KEY_LIFETIME,
    Created,
    KeyReusedError,
    body_digest,
    forget_expired_keys,
)
from lessons.lesson_11_scale.services.tickets import create_ticket


def create_ticket_once(session: Session, data: TicketCreate, *, user_id: int, key: str) -> Created:
    """Create the ticket, unless this user's `key` already created one: then answer that one."""
    forget_expired_keys(session)
    digest = body_digest(data)
    stored = session.get(IdempotencyKey, (user_id, key))  # this user's key, no one else's
    if stored is not None:  # a retry, if the body is the same
        if stored.request_digest != digest:
            raise KeyReusedError
        return Created(TicketRead.model_validate_json(stored.response_body), replayed=True)
    ticket = create_ticket(session, data)
    # Stored in the same transaction as the ticket: a key never names a ticket rolled back.
    session.add(
        IdempotencyKey(
            user_id=user_id,
            key=key,
            request_digest=digest,
            response_body=ticket.model_dump_json(),
            expires_at=utc_now() + KEY_LIFETIME,
        )
    )
    return Created(ticket, replayed=False)
