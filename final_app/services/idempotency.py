"""Idempotency keys: a retried create returns the first answer instead of creating again.

A client that sent `POST /api/v1/tickets` and got no answer (a replica killed mid-request, a
timeout at the proxy) cannot know whether the ticket exists. With an `Idempotency-Key` header
(Stripe's model), it retries with the same key and the same body: the first request's ticket
comes back, and nothing is created twice. A key belongs to the user who sent it and is kept
for `KEY_LIFETIME`; an expired key is forgotten and can start afresh.

All of it runs in the request's one unit of work: the key is written in the same transaction
as the ticket, so a key never names a ticket that was rolled back.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy import delete, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from ..db import utc_now
from ..models import IdempotencyKey, Ticket
from ..schemas import TicketCreate, TicketRead
from ..services.errors import ConflictError
from ..services.tickets import create_ticket

KEY_LIFETIME = timedelta(hours=24)


class KeyReusedError(ConflictError):
    """The key was first sent with another body (HTTP 409).

    409, not the 422 the IETF's Idempotency-Key draft suggests: in this API a 422 always lists
    the fields of the request that are invalid, and none is; what the request contradicts is
    state the server holds (the key's first use), which is what 409 means everywhere else here.
    """

    def __init__(self) -> None:
        super().__init__(
            "This Idempotency-Key was first used with a different body: resend that body to "
            "get its ticket back, or use a new key for a new ticket"
        )


@dataclass(frozen=True, slots=True)
class Created:
    ticket: TicketRead
    replayed: bool  # True: the answer of an earlier request with the same key


def body_digest(data: TicketCreate) -> str:
    """The same digest for the same ticket, however its JSON was spaced or ordered."""
    canonical = json.dumps(data.model_dump(mode="json"), sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(canonical.encode()).hexdigest()


def forget_expired_keys(session: Session) -> None:
    session.execute(delete(IdempotencyKey).where(IdempotencyKey.expires_at <= utc_now()))


def replay(stored: IdempotencyKey, digest: str) -> Created:
    if stored.request_digest != digest:
        raise KeyReusedError
    return Created(TicketRead.model_validate_json(stored.response_body), replayed=True)


# --8<-- [start:create-once]
def create_ticket_once(session: Session, data: TicketCreate, *, user_id: int, key: str) -> Created:
    """Create the ticket, unless this user's `key` already created one: then answer that one."""
    forget_expired_keys(session)
    digest = body_digest(data)
    find = select(IdempotencyKey).where(
        IdempotencyKey.user_id == user_id, IdempotencyKey.key == key
    )
    stored = session.scalar(find)
    if stored is not None:  # a retry
        return replay(stored, digest)
    ticket = create_ticket(session, data)
    # ON CONFLICT DO NOTHING, on the (user, key) primary key: if another request with this key
    # is inserting it at this moment (another replica), the database makes this statement wait
    # for that transaction, then inserts nothing. No error aborts our transaction (a plain
    # INSERT's IntegrityError would, on PostgreSQL), so we can still read the winner's answer.
    dialect = postgresql if session.get_bind().dialect.name == "postgresql" else sqlite
    claim = (
        dialect.insert(IdempotencyKey)
        .values(
            user_id=user_id,
            key=key,
            request_digest=digest,
            response_body=ticket.model_dump_json(),
            expires_at=utc_now() + KEY_LIFETIME,
        )
        .on_conflict_do_nothing(index_elements=[IdempotencyKey.user_id, IdempotencyKey.key])
        .returning(IdempotencyKey.key)
    )
    if session.execute(claim).first() is not None:
        return Created(ticket, replayed=False)
    # The other request won: our ticket must never have existed, and theirs is the answer.
    session.execute(delete(Ticket).where(Ticket.id == ticket.id))
    return replay(session.scalars(find).one(), digest)


# --8<-- [end:create-once]
