"""Dependencies: what several endpoints need, written once and handed in by FastAPI.

An endpoint declares what it needs as a parameter typed with an `Annotated[..., Depends(...)]`
alias; FastAPI calls the dependency, feeds it from the request (query, headers, other
dependencies), documents its parameters in OpenAPI, and passes the result in. Tests swap any
of them through `app.dependency_overrides`.
"""

import hashlib
import hmac
import logging
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Annotated, TypeVar

from fastapi import Depends, HTTPException, Query, Request
from fastapi.security import APIKeyHeader
from sqlalchemy import GenerativeSelect, Select

from .models import MAX_ID, Ticket, TicketStatus

SelectT = TypeVar("SelectT", bound=GenerativeSelect)


# --8<-- [start:pagination]
@dataclass(frozen=True)
class Pagination:
    """Which slice of a list the client asked for."""

    limit: int
    offset: int

    def apply(self, query: SelectT) -> SelectT:
        return query.offset(self.offset).limit(self.limit)


def pagination(
    limit: Annotated[int, Query(ge=1, le=100, description="How many items at most.")] = 10,
    offset: Annotated[int, Query(ge=0, le=MAX_ID, description="How many items to skip.")] = 0,
) -> Pagination:
    """A function dependency: its parameters are query parameters of every endpoint using it."""
    return Pagination(limit=limit, offset=offset)


PaginationDep = Annotated[Pagination, Depends(pagination)]
# --8<-- [end:pagination]


# --8<-- [start:filter]
class TicketFilter:
    """Which tickets a list shows. A class is a dependency too: FastAPI calls `__init__`."""

    def __init__(
        self,
        status: TicketStatus | None = None,
        device: Annotated[
            str | None,
            Query(max_length=50, description="Only devices whose name contains this, any case."),
        ] = None,
    ) -> None:
        self.status = status
        self.device = device or None

    def apply(self, query: Select[Ticket]) -> Select[Ticket]:
        if self.status is not None:
            query = query.where(Ticket.status == self.status)
        if self.device is not None:
            # autoescape: a client's "%" or "_" is a character to find, not a LIKE wildcard.
            query = query.where(Ticket.device_model.icontains(self.device, autoescape=True))
        return query


# Depends() with no argument: the annotated class is the dependency.
TicketFilterDep = Annotated[TicketFilter, Depends()]
# --8<-- [end:filter]


# --8<-- [start:caller]
@dataclass(frozen=True)
class Caller:
    """Who is calling: the application the API key was given to."""

    name: str


# Demo keys, so the lesson runs without any setup. Real keys never live in the code:
# lesson 07 reads secrets from the environment with settings.
API_KEYS: dict[str, Caller] = {
    "front-desk-demo-key": Caller(name="front desk"),
    "workshop-demo-key": Caller(name="workshop"),
}

# A security scheme, not a plain Header(): OpenAPI documents it and /docs shows "Authorize".
# It answers 401 by itself when the header is missing.
api_key_header = APIKeyHeader(name="X-API-Key", description="Your application's API key.")


def same_key(sent: str, known: str) -> bool:
    """Whether two keys are equal, in a time that tells an attacker nothing about the known one.

    `compare_digest` takes as long for a near miss as for a far one, but its time may still
    depend on the lengths it compares. SHA-256 digests are 32 bytes whatever the keys are.
    """
    sent_digest = hashlib.sha256(sent.encode()).digest()
    known_digest = hashlib.sha256(known.encode()).digest()
    return hmac.compare_digest(sent_digest, known_digest)


def get_caller(api_key: Annotated[str, Depends(api_key_header)]) -> Caller:
    """A sub-dependency: it depends on `api_key_header`, and endpoints depend on it."""
    for known_key, caller in API_KEYS.items():
        if same_key(api_key, known_key):
            return caller
    raise HTTPException(
        status_code=401,
        detail="Invalid API key",
        # 401 must say how to authenticate; APIKey is what FastAPI sends for a missing key.
        headers={"WWW-Authenticate": "APIKey"},
    )


CallerDep = Annotated[Caller, Depends(get_caller)]
# --8<-- [end:caller]


# --8<-- [start:audit]
audit_log = logging.getLogger("repairdesk.audit")


def audit(request: Request, caller: CallerDep) -> Iterator[None]:
    """Record who changed what, and how it ended, including when the endpoint raised.

    The code before `yield` runs before the endpoint; the code after it once the endpoint is
    done. An exception raised by the endpoint is raised again at the `yield`.
    """
    action = f"{request.method} {request.url.path}"
    try:
        yield
    except Exception as error:
        audit_log.warning("%s: %s failed (%s)", caller.name, action, type(error).__name__)
        raise  # swallowing it would turn the endpoint's error into a broken response
    audit_log.info("%s: %s done", caller.name, action)


# For endpoints that need the audit but not a value from it: `dependencies=[Audited]`.
Audited = Depends(audit)
# --8<-- [end:audit]
