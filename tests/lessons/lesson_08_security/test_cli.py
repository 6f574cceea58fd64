"""Lesson 08's command line: lesson 07's `migrate` and `revision`, and `create-user`."""

import io
from pathlib import Path
from types import ModuleType

import pytest
from sqlalchemy import create_engine, select
from sqlalchemy.orm import Session

from lessons.lesson_08_security import __main__
from lessons.lesson_08_security.__main__ import main
from lessons.lesson_08_security.models import User
from lessons.lesson_08_security.security import check_password
from tests.behaviours.command_line import *  # noqa: F403

PASSWORD = "a long enough password"
TOM = "tom@example.com"


@pytest.fixture
def database_url(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> str:
    url = f"sqlite:///{tmp_path / 'cli.db'}"
    monkeypatch.setenv("REPAIRDESK_DATABASE_URL", url)
    return url


@pytest.fixture
def cli() -> ModuleType:
    return __main__


@pytest.fixture
def cli_database_url(database_url: str) -> str:
    return database_url


@pytest.fixture
def migrated(database_url: str) -> str:
    assert main(["migrate"]) == 0
    return database_url


def run_with_stdin(monkeypatch: pytest.MonkeyPatch, stdin: str, *argv: str) -> int:
    monkeypatch.setattr("sys.stdin", io.StringIO(stdin))
    return main(list(argv))


def users(database_url: str) -> list[User]:
    engine = create_engine(database_url)
    with Session(engine) as db:
        found = list(db.scalars(select(User)))
    engine.dispose()
    return found


def test_create_user_adds_a_user_who_can_log_in(
    migrated: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    code = run_with_stdin(
        monkeypatch,
        PASSWORD + "\n",
        "create-user",
        "Ada@Example.com",
        "--role",
        "admin",
        "--password-stdin",
    )
    assert code == 0
    assert capsys.readouterr().out == "Created admin ada@example.com.\n"
    [user] = users(migrated)
    assert user.email == "ada@example.com"  # lowercased, as the sign-in form's email is
    assert check_password(PASSWORD, user.password_hash)[0]
    assert user.role == "admin"
    assert user.is_active


def test_a_new_user_is_a_technician_unless_told(
    migrated: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    run_with_stdin(monkeypatch, PASSWORD + "\n", "create-user", TOM, "--password-stdin")
    assert [user.role for user in users(migrated)] == ["technician"]


def test_the_password_is_asked_twice_when_not_piped(
    migrated: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    answers = iter([PASSWORD, "a different password"])
    monkeypatch.setattr("getpass.getpass", lambda prompt: next(answers))
    assert main(["create-user", TOM]) == 1
    assert "The passwords differ." in capsys.readouterr().err
    assert users(migrated) == []


def test_a_short_password_is_refused(
    migrated: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    assert run_with_stdin(monkeypatch, "short\n", "create-user", TOM, "--password-stdin") == 1
    assert "password: String should have at least 8 characters" in capsys.readouterr().err
    assert users(migrated) == []


def test_an_address_that_is_no_email_is_refused(
    migrated: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    assert (
        run_with_stdin(monkeypatch, PASSWORD + "\n", "create-user", "tom", "--password-stdin") == 1
    )
    assert capsys.readouterr().err.startswith("email: value is not a valid email address")
    assert users(migrated) == []


def test_a_taken_email_is_refused(
    migrated: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    run_with_stdin(monkeypatch, PASSWORD + "\n", "create-user", TOM, "--password-stdin")
    shouted = TOM.upper()  # the same address
    assert (
        run_with_stdin(monkeypatch, PASSWORD + "\n", "create-user", shouted, "--password-stdin")
        == 1
    )
    assert f"A user with email {TOM} already exists" in capsys.readouterr().err


def test_an_unmigrated_database_is_refused_naming_the_command(
    database_url: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    assert run_with_stdin(monkeypatch, PASSWORD + "\n", "create-user", TOM, "--password-stdin") == 1
    assert "python -m lessons.lesson_08_security migrate" in capsys.readouterr().err


def test_there_is_no_password_option(capsys: pytest.CaptureFixture[str]) -> None:
    # A password on the command line would stay in the shell's history.
    with pytest.raises(SystemExit):
        main(["create-user", TOM, "--password", PASSWORD])
    assert "unrecognized arguments" in capsys.readouterr().err
