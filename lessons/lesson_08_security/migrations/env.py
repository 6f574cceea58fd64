"""How Alembic reaches the database; `migrate.py` passes the URL and the models' metadata."""

from alembic import context
from sqlalchemy import create_engine, pool

config = context.config


def run_migrations() -> None:
    engine = create_engine(config.attributes["database_url"], poolclass=pool.NullPool)
    with engine.connect() as connection:
        context.configure(
            connection=connection,
            target_metadata=config.attributes["target_metadata"],
            # SQLite cannot ALTER most things; batch mode copies the table instead.
            render_as_batch=True,
            compare_type=True,
        )
        with context.begin_transaction():
            context.run_migrations()
    engine.dispose()


if context.is_offline_mode():
    raise SystemExit("Offline (--sql) migrations are not configured for this lesson.")
run_migrations()
