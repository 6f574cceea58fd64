"""The command line: `python -m final_app migrate` applies the migrations (Alembic upgrade head)."""

from __future__ import annotations

import argparse
import logging

from final_app.config import Settings
from final_app.migrate import upgrade


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m final_app", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)
    migrate = commands.add_parser(
        "migrate", help="upgrade the database (REPAIRDESK_DATABASE_URL) to the latest schema"
    )
    migrate.add_argument("--revision", default="head", help="target revision (default: head)")
    arguments = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(levelname)s  %(name)s: %(message)s")
    if arguments.command == "migrate":
        upgrade(Settings().database_url, arguments.revision)


if __name__ == "__main__":
    main()
