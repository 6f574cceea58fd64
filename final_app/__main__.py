"""The command line: `python -m final_app migrate` applies the migrations (Alembic upgrade head).

`python -m final_app revision -m "add a column"` writes a new migration from the difference
between the models and the database (Alembic autogenerate): read it before committing it.

`python -m final_app openapi --output docs/final-app/openapi.json` rewrites the committed
OpenAPI document, the API's contract, from the app: do it when you change the API on purpose.
"""

from __future__ import annotations

import argparse
import json
import logging
import sys
from pathlib import Path

from alembic import command
from fastapi import FastAPI

from .config import Settings
from .migrate import alembic_config, upgrade


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
    openapi = commands.add_parser(
        "openapi", help="write the OpenAPI document (no server, no database)"
    )
    openapi.add_argument(
        "-o", "--output", default="-", help="file to write (default: -, standard output)"
    )
    arguments = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(levelname)s  %(name)s: %(message)s")
    if arguments.command == "openapi":
        write_openapi(arguments.output)
        return
    database_url = Settings().database_url.get_secret_value()
    if arguments.command == "migrate":
        upgrade(database_url, arguments.revision)
    else:
        command.revision(alembic_config(database_url), message=arguments.message, autogenerate=True)


if __name__ == "__main__":
    main()
