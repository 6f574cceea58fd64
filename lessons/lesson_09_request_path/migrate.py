"""Alembic, configured in code: no alembic.ini to keep in sync with the settings.

The schema is changed by migrations only, as an explicit step before the app starts
(`MIGRATE_COMMAND`), never by the app itself at start-up: several app processes starting at
once must not race to alter the same tables.
"""

from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.script import ScriptDirectory

from .models import Base

MIGRATIONS_DIR = Path(__file__).with_name("migrations")
# What an operator types to bring the database to the code's revision.
MIGRATE_COMMAND = f"python -m {__package__} migrate"


# --8<-- [start:config]
def alembic_config(database_url: str) -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    # Attributes, not set_main_option: a URL's %-escapes would trip the ini-file interpolation.
    config.attributes["database_url"] = database_url
    config.attributes["target_metadata"] = Base.metadata
    return config


def upgrade(database_url: str, revision: str = "head") -> None:
    """Run every migration the database lacks, up to `revision` (the latest by default)."""
    command.upgrade(alembic_config(database_url), revision)


def downgrade_to_base(database_url: str) -> None:
    """Undo every migration: for tests and for starting over on a development database."""
    command.downgrade(alembic_config(database_url), "base")


def create_revision(database_url: str, message: str) -> None:
    """Write a new migration from what the models have and the database lacks."""
    config = alembic_config(database_url)
    head = ScriptDirectory(str(MIGRATIONS_DIR)).get_current_head() or "0000"
    command.revision(config, message=message, autogenerate=True, rev_id=f"{int(head) + 1:04d}")


# --8<-- [end:config]
