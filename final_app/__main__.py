"""The app's command line: apply the migrations, write a new one, or write the OpenAPI document.

`openapi --output docs/final-app/openapi.json` rewrites the committed OpenAPI document, the
API's contract, from the app: do it when you change the API on purpose.
"""

import argparse
import json
import logging
import sys
from collections.abc import Sequence
from pathlib import Path

from fastapi import FastAPI

from .config import InvalidSettingsError, load_settings
from .migrate import create_revision, upgrade


def render_openapi(app: FastAPI) -> str:
    """The app's OpenAPI document as the committed file holds it.

    Sorted keys and a fixed indent: the same API always gives the same text, so a diff of the
    file shows what changed in the contract and nothing else. Building the document starts
    nothing: no lifespan runs and no database is opened.
    """
    return json.dumps(app.openapi(), indent=2, sort_keys=True, ensure_ascii=False) + "\n"


def write_openapi(output: str) -> None:
    # Imported here, not at the top: it builds the app, which `migrate` has no use for.
    from .main import app

    document = render_openapi(app)
    if output == "-":
        sys.stdout.write(document)
    else:
        Path(output).write_text(document, encoding="utf-8")


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog=f"python -m {__package__}", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)
    migrate = commands.add_parser("migrate", help="apply every migration the database lacks")
    migrate.add_argument("--revision", default="head", help="stop at this one (default: head)")
    revision = commands.add_parser("revision", help="write a migration from the models' changes")
    revision.add_argument(
        "-m", "--message", required=True, help='what it does, e.g. "add ticket priority"'
    )
    openapi = commands.add_parser("openapi", help="write the OpenAPI document (no database)")
    openapi.add_argument("-o", "--output", default="-", help="a file, or - (the default): stdout")
    args = parser.parse_args(argv)

    try:
        settings = load_settings()
    except InvalidSettingsError as error:
        print(error, file=sys.stderr)
        return 2
    # Alembic reports each migration it runs through logging.
    logging.basicConfig(level=logging.INFO, format="%(levelname)s  %(name)s: %(message)s")
    if args.command == "openapi":
        write_openapi(args.output)
    elif args.command == "migrate":
        upgrade(settings.database_url.get_secret_value(), args.revision)
    else:
        create_revision(settings.database_url.get_secret_value(), args.message)
    return 0


if __name__ == "__main__":
    sys.exit(main())
