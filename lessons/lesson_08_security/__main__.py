"""The lesson's command line: apply the migrations, or write a new one from the models."""

import argparse
import logging
import sys
from collections.abc import Sequence

from .config import InvalidSettingsError, load_settings
from .migrate import create_revision, upgrade


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog=f"python -m {__package__}", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)
    migrate = commands.add_parser("migrate", help="apply every migration the database lacks")
    migrate.add_argument("--revision", default="head", help="stop at this one (default: head)")
    revision = commands.add_parser("revision", help="write a migration from the models' changes")
    revision.add_argument(
        "-m", "--message", required=True, help='what it does, e.g. "add ticket priority"'
    )
    args = parser.parse_args(argv)

    try:
        settings = load_settings()
    except InvalidSettingsError as error:
        print(error, file=sys.stderr)
        return 2
    # Alembic reports each migration it runs through logging.
    logging.basicConfig(level=logging.INFO, format="%(levelname)s  %(name)s: %(message)s")
    if args.command == "migrate":
        upgrade(settings.database_url.get_secret_value(), args.revision)
    else:
        create_revision(settings.database_url.get_secret_value(), args.message)
    return 0


if __name__ == "__main__":
    sys.exit(main())
