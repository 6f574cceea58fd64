"""The command line: `python -m lessons.lesson_11_scale migrate` applies the migrations.

`... revision -m "add a column"` writes a new migration from the difference between the models
and the database (Alembic autogenerate): read it before committing it.
"""

from __future__ import annotations

import argparse
import logging

from alembic import command

from .config import Settings
from .migrate import alembic_config, upgrade


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(
        prog=f"python -m {__package__}",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    commands = parser.add_subparsers(dest="command", required=True)
    migrate = commands.add_parser(
        "migrate", help="upgrade the database (REPAIRDESK_DATABASE_URL) to the latest schema"
    )
    migrate.add_argument("--revision", default="head", help="target revision (default: head)")
    revision = commands.add_parser(
        "revision", help="write a new migration from the models (autogenerate)"
    )
    revision.add_argument("-m", "--message", required=True, help="what the migration does")
    arguments = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(levelname)s  %(name)s: %(message)s")
    database_url = Settings().database_url.get_secret_value()
    if arguments.command == "migrate":
        upgrade(database_url, arguments.revision)
    else:
        command.revision(alembic_config(database_url), message=arguments.message, autogenerate=True)


if __name__ == "__main__":
    main()
