"""The API's contract: the committed OpenAPI document is the one the app serves.

`docs/final-app/openapi.json` is what clients, reviewers and Spectral (`nox -s api-contract`)
read. Any change to the API, even an unintended one (a renamed field, a lost constraint, a new
status code), changes the document, fails this test, and so shows up in review as a diff of
that file once it is rewritten on purpose.
"""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from final_app.__main__ import main, render_openapi
from final_app.config import Settings
from final_app.main import create_app

ROOT = Path(__file__).resolve().parents[2]
SNAPSHOT = Path("docs/final-app/openapi.json")
SHOWN_DIFFERENCES = 15


def differences(committed: Any, current: Any, path: str = "") -> Iterator[str]:
    """Where two JSON documents differ, as JSON pointers: what was added, removed or changed."""
    if isinstance(committed, dict) and isinstance(current, dict):
        for key in sorted(committed.keys() | current.keys()):
            where = f"{path}/{str(key).replace('~', '~0').replace('/', '~1')}"
            if key not in current:
                yield f"removed  {where}"
            elif key not in committed:
                yield f"added    {where}"
            else:
                yield from differences(committed[key], current[key], where)
    elif committed != current:
        yield f"changed  {path or '/'}"


def rewrite_command() -> str:
    python = Path(sys.executable)
    if python.is_relative_to(ROOT):  # e.g. .nox/final-app/bin/python
        python = python.relative_to(ROOT)
    return f"{python} -m final_app openapi --output {SNAPSHOT}"


def test_the_committed_openapi_document_is_the_apps(tmp_path: Path) -> None:
    # Any settings give the same document: nothing is started and no database is opened.
    app = create_app(Settings(database_url=f"sqlite:///{tmp_path / 'unused.db'}"))
    current = render_openapi(app)
    assert not (tmp_path / "unused.db").exists()
    committed = (ROOT / SNAPSHOT).read_text(encoding="utf-8")
    if current == committed:
        return
    found = list(differences(json.loads(committed), json.loads(current)))
    if not found:  # the same document, written differently (by hand?)
        found = ["the same content, formatted differently"]
    shown = found[:SHOWN_DIFFERENCES]
    if len(found) > len(shown):
        shown.append(f"... and {len(found) - len(shown)} more")
    summary = "\n".join(f"  {line}" for line in shown)
    raise AssertionError(
        f"{SNAPSHOT} is not the app's OpenAPI document ({len(found)} differences):\n"
        f"{summary}\n"
        f"If the API changed on purpose, rewrite it from the repository's root and commit it:\n"
        f"  {rewrite_command()}"
    )


def test_the_openapi_command_writes_the_document_without_a_database(tmp_path: Path) -> None:
    output = tmp_path / "openapi.json"
    subprocess.run(
        [sys.executable, "-m", "final_app", "openapi", "--output", str(output)],
        cwd=tmp_path,  # where the default database, ./repairdesk.db, would appear
        check=True,
    )
    app = create_app(Settings(database_url=f"sqlite:///{tmp_path / 'unused.db'}"))
    assert output.read_text(encoding="utf-8") == render_openapi(app)
    assert sorted(path.name for path in tmp_path.iterdir()) == ["openapi.json"]


def test_the_openapi_command_prints_the_document_when_no_output_is_named(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(tmp_path)  # where the default database, ./repairdesk.db, would appear
    main(["openapi"])
    app = create_app(Settings(database_url=f"sqlite:///{tmp_path / 'unused.db'}"))
    assert capsys.readouterr().out == render_openapi(app)
    assert list(tmp_path.iterdir()) == []
