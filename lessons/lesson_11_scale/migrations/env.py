"""How Alembic reaches the database; `migrate.py` hands it the URL and the models' metadata."""

from typing import Any, Literal

from alembic import context
from alembic.autogenerate.api import AutogenContext
from sqlalchemy import create_engine, pool
from sqlalchemy.types import TypeDecorator

config = context.config


def render_item(kind: str, item: Any, autogen_context: AutogenContext) -> str | Literal[False]:
    """Write a custom column type as the type it stores (UTCDateTime as sa.DateTime).

    A migration is history: it must still run after the models' code has changed or moved.
    """
    if kind == "type" and isinstance(item, TypeDecorator):
        return f"sa.{item.impl!r}"
    return False  # everything else: Alembic's own rendering


def run_migrations() -> None:
    engine = create_engine(config.attributes["database_url"], poolclass=pool.NullPool)
    with engine.connect() as connection:
        if connection.dialect.name == "sqlite":
            # Write-ahead logging is a property of the file: set once, before any app opens it.
            connection.exec_driver_sql("PRAGMA journal_mode=WAL")
            connection.commit()  # ends the transaction the statement began, before Alembic's
        context.configure(
            connection=connection,
            target_metadata=config.attributes["target_metadata"],
            # SQLite cannot ALTER most things; batch mode copies the table instead.
            render_as_batch=True,
            compare_type=True,
            render_item=render_item,
        )
        with context.begin_transaction():
            context.run_migrations()
    engine.dispose()


if context.is_offline_mode():
    raise SystemExit("Offline (--sql) migrations are not configured for this lesson.")
run_migrations()
