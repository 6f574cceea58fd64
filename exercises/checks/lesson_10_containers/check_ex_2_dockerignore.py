"""Checks the `.dockerignore` by asking it, as Docker would, which paths it keeps out.

--8<-- [start:hint]
Rules are read top to bottom and the last one that matches a path wins; `!` lets back in
what an earlier rule left out, and a rule that matches a folder matches everything inside
it. So: `*` first, then `!main.py`, `!requirements.txt`, `!app/`, then `**/__pycache__` and
`**/.env` (`**/` means "in any folder, or none"). The repository's own `.dockerignore` is
built the same way.
--8<-- [end:hint]
"""

import re
from pathlib import Path

import pytest

LET_IN = ["main.py", "requirements.txt", "app/__init__.py", "app/routes.py"]
KEPT_OUT = [
    ".env",
    ".git/HEAD",
    ".venv/bin/python",
    "tests/test_main.py",
    "repairdesk.db",
    "notes.md",
    "app/__pycache__/routes.cpython-311.pyc",
    "__pycache__/main.cpython-311.pyc",
    "app/.env",
]

Rule = tuple[bool, re.Pattern[str]]


def translate(pattern: str) -> re.Pattern[str]:
    """Docker's pattern syntax as a regular expression: `*`, `?` and `**`."""
    regex, i = "", 0
    while i < len(pattern):
        if pattern.startswith("**/", i):
            regex, i = regex + "(.*/)?", i + 3
        elif pattern.startswith("**", i):
            regex, i = regex + ".*", i + 2
        elif pattern[i] == "*":
            regex, i = regex + "[^/]*", i + 1
        elif pattern[i] == "?":
            regex, i = regex + "[^/]", i + 1
        else:
            regex, i = regex + re.escape(pattern[i]), i + 1
    return re.compile(regex)


def rules_of(text: str) -> list[Rule]:
    rules = []
    for line in text.splitlines():
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        negated = line.startswith("!")
        pattern = line.removeprefix("!").strip().removeprefix("./").strip("/")
        rules.append((negated, translate(pattern)))
    return rules


def ignored(rules: list[Rule], path: str) -> bool:
    """Whether Docker leaves `path` out: the last matching rule decides."""
    parts = path.split("/")
    prefixes = ["/".join(parts[:n]) for n in range(1, len(parts) + 1)]
    result = False
    for negated, regex in rules:
        if any(regex.fullmatch(prefix) for prefix in prefixes):
            result = not negated
    return result


@pytest.fixture
def rules(path: Path) -> list[Rule]:
    dockerignore = path / ".dockerignore"
    assert dockerignore.exists(), f"there is no .dockerignore in {path}"
    return rules_of(dockerignore.read_text())


@pytest.mark.parametrize("kept_out", KEPT_OUT)
def test_what_the_image_does_not_need_stays_out(rules: list[Rule], kept_out: str) -> None:
    assert ignored(rules, kept_out), f"{kept_out} would be sent to the Docker daemon"


@pytest.mark.parametrize("let_in", LET_IN)
def test_what_the_image_needs_is_let_in(rules: list[Rule], let_in: str) -> None:
    assert not ignored(rules, let_in), f"{let_in} would be left out of the build context"
