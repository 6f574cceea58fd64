"""Alembic, configured in code: works from an installed package and from any directory.

No alembic.ini to find: the script location is this package's `migrations/` folder and the
database URL comes from the settings (or the caller).
"""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config

MIGRATIONS_DIR = Path(__file__).parent / "migrations"
# What an operator types to bring the database to the code's revision.
MIGRATE_COMMAND = f"python -m {__package__} migrate"


def alembic_config(database_url: str) -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    # Passed as an attribute, not an ini option: ini values treat "%" as interpolation.
    config.attributes["database_url"] = database_url
    return config


def upgrade(database_url: str, revision: str = "head") -> None:
    command.upgrade(alembic_config(database_url), revision)
