"""Exercise 05.3, solved: one in-memory database, shared by every connection of its engine.

Each new connection to `sqlite://` opens a new, empty database, and the app's lifespan and its
requests run in different threads, on different connections. `StaticPool` keeps a single
connection and hands it to everyone; `check_same_thread=False` lets the threadpool's workers
use it (one at a time).
"""

from sqlalchemy import create_engine
from sqlalchemy.pool import StaticPool

from lessons.lesson_05_database.db import Database


def fresh_database() -> Database:
    """An empty in-memory database, for one test."""
    engine = create_engine(
        "sqlite://", poolclass=StaticPool, connect_args={"check_same_thread": False}
    )
    return Database(engine)
