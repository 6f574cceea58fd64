"""The lesson's command line: apply the migrations, write a new one, or create a user."""

import argparse
import getpass
import logging
import sys
from collections.abc import Sequence

from pydantic import ValidationError
from sqlalchemy.orm import Session

from .config import InvalidSettingsError, Settings, load_settings
from .db import create_db_engine
from .migrate import DatabaseNotMigratedError, create_revision, ensure_migrated, upgrade
from .models import Role
from .schemas import UserCreate
from .security import hash_password
from .users import ConflictError, create_user


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog=f"python -m {__package__}", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)
    migrate = commands.add_parser("migrate", help="apply every migration the database lacks")
    migrate.add_argument("--revision", default="head", help="stop at this one (default: head)")
    revision = commands.add_parser("revision", help="write a migration from the models' changes")
    revision.add_argument(
        "-m", "--message", required=True, help='what it does, e.g. "add ticket priority"'
    )
    # --8<-- [start:create-user-arguments]
    new_user = commands.add_parser("create-user", help="add a user who can log in")
    new_user.add_argument("email", help="what they sign in with")
    new_user.add_argument("--role", choices=list(Role), type=Role, default=Role.TECHNICIAN)
    # Never a --password option: it would stay in the shell's history and in `ps` output.
    new_user.add_argument(
        "--password-stdin", action="store_true", help="read the password from standard input"
    )
    # --8<-- [end:create-user-arguments]
    args = parser.parse_args(argv)

    try:
        settings = load_settings()
    except InvalidSettingsError as error:
        print(error, file=sys.stderr)
        return 2
    if args.command == "create-user":
        return add_user(settings, args.email, args.role, args.password_stdin)
    # Alembic reports each migration it runs through logging.
    logging.basicConfig(level=logging.INFO, format="%(levelname)s  %(name)s: %(message)s")
    if args.command == "migrate":
        upgrade(settings.database_url.get_secret_value(), args.revision)
    else:
        create_revision(settings.database_url.get_secret_value(), args.message)
    return 0


def add_user(settings: Settings, email: str, role: Role, password_stdin: bool) -> int:
    if password_stdin:
        password = sys.stdin.readline().rstrip("\n")
    else:
        password = getpass.getpass("Password: ")
        if getpass.getpass("Password again: ") != password:
            print("The passwords differ.", file=sys.stderr)
            return 1
    try:  # the rules an account created through the API would follow
        data = UserCreate(email=email, password=password, role=role)
    except ValidationError as error:
        for problem in error.errors():
            print(f"{problem['loc'][0]}: {problem['msg']}", file=sys.stderr)
        return 1
    engine = create_db_engine(settings)
    try:
        ensure_migrated(engine)
        with Session(engine) as session, session.begin():  # committed if nothing raised
            user = create_user(session, data, hash_password(data.password))
    except (DatabaseNotMigratedError, ConflictError) as error:
        print(error, file=sys.stderr)
        return 1
    finally:
        engine.dispose()
    print(f"Created {user.role} {user.email}.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
