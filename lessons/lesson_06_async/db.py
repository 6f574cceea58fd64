"""The engine, the session factory and `get_db()`: one session per request."""

import os
from collections.abc import Iterator
from typing import Annotated

from fastapi import Depends
from sqlalchemy import create_engine
from sqlalchemy.orm import Session, sessionmaker

from .slow_query import slow_connect_args

DATABASE_URL = os.environ.get("DATABASE_URL", "sqlite:///./repairdesk.db")

# --8<-- [start:knobs]
# The measurements in this lesson turn these; the defaults are SQLAlchemy's own.
POOL_SIZE = int(os.environ.get("DB_POOL_SIZE", "5"))
MAX_OVERFLOW = int(os.environ.get("DB_MAX_OVERFLOW", "10"))
POOL_TIMEOUT = float(os.environ.get("DB_POOL_TIMEOUT", "30"))
SIMULATED_QUERY_MS = float(os.environ.get("SIMULATED_QUERY_MS", "0"))
# --8<-- [end:knobs]

engine = create_engine(
    DATABASE_URL,
    pool_size=POOL_SIZE,
    max_overflow=MAX_OVERFLOW,
    pool_timeout=POOL_TIMEOUT,
    connect_args={"check_same_thread": False, **slow_connect_args(SIMULATED_QUERY_MS)},
)
SessionLocal = sessionmaker(engine, expire_on_commit=False)


def get_db() -> Iterator[Session]:
    with SessionLocal() as session:
        yield session


SessionDep = Annotated[Session, Depends(get_db)]
