"""Alembic's environment: runs migrations on the URL `migrate.py` passes in."""

from __future__ import annotations

from alembic import context
from sqlalchemy import create_engine, pool

from lessons.lesson_11_scale.models import Base

config = context.config
target_metadata = Base.metadata


def run_migrations() -> None:
    url = config.attributes.get("database_url")
    if url is None:
        raise RuntimeError("Run migrations through the lesson's `migrate` command.")
    engine = create_engine(url, poolclass=pool.NullPool)
    with engine.connect() as connection:
        if connection.dialect.name == "sqlite":
            # Write-ahead logging is a property of the file: set once, before any app opens it.
            connection.exec_driver_sql("PRAGMA journal_mode=WAL")
            connection.commit()  # ends the transaction the statement began, before Alembic's
        context.configure(
            connection=connection,
            target_metadata=target_metadata,
            render_as_batch=connection.dialect.name == "sqlite",  # ALTER TABLE on SQLite
        )
        with context.begin_transaction():
            context.run_migrations()
    engine.dispose()


run_migrations()
