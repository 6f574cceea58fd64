"""Replay a key only for its user and its body.

--8<-- [start:task]
**Ticket RD-1101.** Two reports from the front desk about retried creates. The intake app
names each create's `Idempotency-Key` after its paper form (`intake-form-1042`). Tom's tablet
lost its connection, retried `POST /api/v1/tickets`, and got back a ticket for a customer he
had never seen: Ada had sent form 1042's key from her tablet that morning. And Ada, who
corrected an estimate and sent the create again with the same key, got `201` with the old
estimate, as if the correction had been saved. This file's `create_ticket_once` has both
bugs. Fix it so that a key is one user's (another user's request with the same key creates a
ticket of its own), and so that a key sent again with another body is refused with the
lesson's `KeyReusedError` (a 409) and creates nothing. A retry with the same key and body
still answers the first ticket, and an expired key is still forgotten.
--8<-- [end:task]

The check sends real requests to the lesson's `POST /api/v1/tickets`, on a SQLite database of
its own, with this file's `create_ticket_once` in place of the lesson's service.
"""

from sqlalchemy import select
from sqlalchemy.orm import Session

from lessons.lesson_11_scale.db import utc_now
from lessons.lesson_11_scale.models import IdempotencyKey
from lessons.lesson_11_scale.schemas import TicketCreate, TicketRead
from lessons.lesson_11_scale.services.idempotency import (
    KEY_LIFETIME,
    Created,
    KeyReusedError,  # noqa: F401 (to raise)
    body_digest,
    forget_expired_keys,
)
from lessons.lesson_11_scale.services.tickets import create_ticket


def create_ticket_once(session: Session, data: TicketCreate, *, user_id: int, key: str) -> Created:
    """Create the ticket, unless `key` already created one: then answer that one."""
    # TODO: RD-1101: two bugs, both in how a stored key is found and answered.
    forget_expired_keys(session)
    digest = body_digest(data)
    stored = session.scalar(select(IdempotencyKey).where(IdempotencyKey.key == key))
    if stored is not None:  # a retry: answer what the first request was answered
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
