"""The database: one engine per app, built by the app's lifespan; one session per request."""

from collections.abc import Iterator
from typing import Annotated

from fastapi import Depends, Request
from sqlalchemy import Engine, create_engine
from sqlalchemy.orm import Session, sessionmaker

from .settings import Settings


def create_db_engine(settings: Settings) -> Engine:
    return create_engine(settings.database_url, echo=settings.echo_sql)


def get_db(request: Request) -> Iterator[Session]:
    """One session per request, from the factory the lifespan put in the app's state."""
    session_factory: sessionmaker[Session] = request.state.session_factory
    with session_factory() as session:
        yield session


SessionDep = Annotated[Session, Depends(get_db)]
