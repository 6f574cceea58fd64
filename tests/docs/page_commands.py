"""Every shell command the pages show, read from their fenced blocks, in course order.

A `console` block's commands are its lines that start with `$ `; every other line is output.
In a `bash`, `shell` or `sh` block every line is a command, except blank lines and comments.
A line that ends with `\\` continues on the next one. A `--8<--` include inside such a block
is read from the included file, as the site shows it.

Each command either runs as written after the README's quick start (`nox -s page-commands`
runs them all, in a fresh clone) or is not run, for a reason written on the page right above
its block:

    <!-- commands: not run (needs a Docker daemon; `nox -s container` tests the image) -->

A marker without a reason in its parentheses is a problem, as is one that no block follows.
The "Try it" transcripts a page includes from `.generated/examples/` are left out: they are
written by running the app (`docsgen`), which fails the docs build on an unexpected status.

What a command needs beyond running and exiting 0 (a status it must exit with, what it must
print, what the reader types at its prompt) is in EXPECTATIONS below, each with its reason, so
that pages carry no test scaffolding. Standard library only: the runner's nox session
installs nothing.
"""

from __future__ import annotations

import re
import shlex
from dataclasses import dataclass, field
from itertools import pairwise
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SHELL_LANGUAGES = frozenset({"console", "bash", "shell", "sh"})
GENERATED_EXAMPLES = ".generated/examples/"
GENERATED_REASON = (
    "a transcript docsgen writes by sending these requests to the lesson's app when the site "
    "is built (`nox -s docs`), failing the build on any unexpected status"
)

FENCE = re.compile(r"^(?P<indent>[ \t]*)(?P<fence>`{3,}|~{3,})[ \t]*(?P<info>.*)$")
LANGUAGE = re.compile(r"^\{?\.?(?P<language>[\w+-]+)")
COMMENT = re.compile(r"^[ \t]*<!--.*-->[ \t]*$")
MARKER = re.compile(r"^[ \t]*<!--[ \t]*commands:(?P<body>.*?)-->[ \t]*$")
NOT_RUN = re.compile(r"^not run \((?P<reason>.*)\)$")
INCLUDE = re.compile(r'^[ \t]*--8<--[ \t]+"(?P<target>[^"]+)"[ \t]*$')
SECTION_MARK = re.compile(r"--8<-- \[(?:start|end):[\w-]+\]")
ASSIGNMENT = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*=")
OPERATORS = frozenset({"&&", "||", ";", "|", "&"})

# What `python3 -m venv .venv && .venv/bin/pip install -q nox uv` puts in .venv/bin, which an
# activated shell has on its PATH, and what a page may assume any machine has.
IN_THE_VENV = frozenset({"python", "python3", "pip", "pip3", "nox", "uv", "uvx"})
ON_ANY_MACHINE = frozenset({"curl", "cp", "export", "read", "git"})


@dataclass(frozen=True)
class Expectation:
    """What one kind of command must do besides exiting 0, and why the page needs no marker."""

    pattern: str  # a regular expression searched for in the command, on one line
    reason: str
    status: int = 0  # the exit status it runs to
    output: str | None = None  # a regular expression its output must match
    stdin: str | None = None  # what the reader types at its prompts
    timeout: float | None = None  # seconds, where the default is too short


EXPECTATIONS = (
    Expectation(
        r"^nox -s check -- ",
        reason=(
            "a fresh clone's exercises are unsolved, so the check reports each as not yet "
            "passed and exits 1, as a reader's first check does"
        ),
        status=1,
        output=r"\b0 of \d+ passed",
    ),
    Expectation(
        r"^nox -s bench-",
        reason="a benchmark runs for minutes by design",
        timeout=1800,
    ),
)


@dataclass(frozen=True)
class Command:
    page: str  # the file it is written in, relative to the repository
    line: int  # the line it starts on
    text: str  # as written: continuation lines keep their backslash and line break
    skip: str | None = None  # why it is not run (the block's marker); None: it runs

    @property
    def one_line(self) -> str:
        return " ".join(self.text.replace("\\\n", " ").split())

    @property
    def where(self) -> str:
        return f"{self.page}:{self.line}"

    @property
    def expectation(self) -> Expectation | None:
        return next((e for e in EXPECTATIONS if re.search(e.pattern, self.one_line)), None)

    @property
    def segments(self) -> list[list[str]]:
        """The simple commands it chains (`a && b; c | d`), each as its words."""
        lexer = shlex.shlex(self.text.replace("\\\n", " "), posix=True, punctuation_chars=True)
        lexer.whitespace_split = True
        segments: list[list[str]] = [[]]
        for token in lexer:
            if token in OPERATORS:
                segments.append([])
            else:
                segments[-1].append(token)
        return [segment for segment in segments if segment]

    @property
    def programs(self) -> list[str]:
        """The program each simple command runs, past its `NAME=value` assignments."""
        programs = []
        for segment in self.segments:
            words = [word for word in segment if not ASSIGNMENT.match(word)]
            if words:
                programs.append(words[0])
        return programs

    @property
    def nox_sessions(self) -> list[str]:
        """The nox sessions it runs (`nox -s NAME`), each of which makes `.nox/NAME/`."""
        sessions = []
        for segment in self.segments:
            words = [word for word in segment if not ASSIGNMENT.match(word)]
            if words and Path(words[0]).name == "nox":
                for option, value in pairwise(words):
                    if option in {"-s", "--session", "--sessions"}:
                        sessions.append(value)
        return sessions

    @property
    def is_server(self) -> bool:
        """It serves until stopped: the runner starts it in the background."""
        if any(session in {"serve", "docs-serve"} for session in self.nox_sessions):
            return True
        for segment in self.segments:
            words = [Path(word).name for word in segment if not ASSIGNMENT.match(word)]
            if words[:1] == ["uvicorn"] or words[:2] in (["fastapi", "dev"], ["fastapi", "run"]):
                return True
            if words[:2] == ["mkdocs", "serve"]:
                return True
        return False

    @property
    def port(self) -> int:
        """The port a server command listens on: what the page's curl commands talk to."""
        words = [word for segment in self.segments for word in segment]
        for option, value in pairwise(words):
            if option == "--port":
                return int(value)
            if option in {"-a", "--dev-addr"}:
                return int(value.rsplit(":", 1)[1])
        for word in words:
            if word.startswith("--port="):
                return int(word.split("=", 1)[1])
            if word.startswith("PORT="):
                return int(word.split("=", 1)[1])
        return 8001 if "docs-serve" in self.nox_sessions else 8000

    @property
    def is_request(self) -> bool:
        """It talks to the server the page started last."""
        return self.programs[:1] == ["curl"]


@dataclass(frozen=True)
class LeftOut:
    """A transcript of generated commands that a page includes."""

    page: str
    line: int
    target: str
    reason: str = GENERATED_REASON


@dataclass(frozen=True)
class Problem:
    page: str
    line: int
    message: str

    def __str__(self) -> str:
        return f"{self.page}:{self.line}: {self.message}"


@dataclass
class Extraction:
    commands: list[Command] = field(default_factory=list)
    left_out: list[LeftOut] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)


def pages(root: Path = ROOT) -> list[Path]:
    """README.md, then docs/ in course order: home, lessons, final app, exercises, the rest."""
    docs = root / "docs"
    ordered = [root / "README.md", docs / "index.md"]
    for section in ("lessons", "final-app", "exercises"):
        ordered += sorted((docs / section).glob("*.md"), key=lambda p: (p.name != "index.md", p))
    return ordered + sorted(set(docs.rglob("*.md")) - set(ordered))


def extract(root: Path = ROOT, only: list[Path] | None = None) -> Extraction:
    """The commands of every page (or of `only`), in order, with what is left out and why."""
    extraction = Extraction()
    for page in only if only is not None else pages(root):
        _extract_page(root, page, extraction, seen=())
    return extraction


def _relative(root: Path, path: Path) -> str:
    return path.resolve().relative_to(root.resolve()).as_posix()


def _extract_page(root: Path, page: Path, extraction: Extraction, seen: tuple[Path, ...]) -> None:
    name = _relative(root, page)
    lines = page.read_text(encoding="utf-8").splitlines()
    markers = {number for number, line in enumerate(lines, 1) if MARKER.match(line)}
    attached: set[int] = set()
    number = 0
    while number < len(lines):
        line = lines[number]
        number += 1
        fence = FENCE.match(line)
        if fence is None:
            include = INCLUDE.match(line)
            if include:
                _top_level_include(root, name, number, include["target"], extraction, seen)
            continue
        body, number = _fenced_body(lines, number, fence)
        language = LANGUAGE.match(fence["info"].strip())
        if language is None or language["language"] not in SHELL_LANGUAGES:
            continue
        opened_at = number - len(body) - 1
        skip, marker_lines = _marker_above(lines, opened_at, name, extraction)
        attached |= marker_lines
        block = _resolve_includes(root, name, opened_at, body, extraction)
        commands = _commands(name, block, language["language"], extraction, opened_at)
        extraction.commands += [
            Command(page=name, line=start, text=text, skip=skip) for start, text in commands
        ]
    for orphan in sorted(markers - attached):
        extraction.problems.append(
            Problem(name, orphan, "a commands marker with no console/bash block right below it")
        )


def _fenced_body(lines: list[str], after: int, fence: re.Match[str]) -> tuple[list[str], int]:
    """The block's lines, without the fence's indentation, and the line number after it."""
    indent, mark = fence["indent"], fence["fence"]
    body = []
    number = after
    while number < len(lines):
        line = lines[number]
        number += 1
        stripped = line.strip()
        if stripped.startswith(mark) and set(stripped) == {mark[0]}:
            break
        body.append(line[len(indent) :] if line.startswith(indent) else line.lstrip())
    return body, number


def _marker_above(
    lines: list[str], fence_line: int, page: str, extraction: Extraction
) -> tuple[str | None, set[int]]:
    """The reason a block is not run, from the HTML comments right above its fence."""
    skip, attached = None, set()
    number = fence_line - 1
    while number >= 1 and COMMENT.match(lines[number - 1]):
        marker = MARKER.match(lines[number - 1])
        if marker:
            attached.add(number)
            not_run = NOT_RUN.match(marker["body"].strip())
            reason = not_run["reason"].strip() if not_run else ""
            if not_run is None:
                extraction.problems.append(
                    Problem(page, number, "a commands marker reads `not run (the reason)`")
                )
            elif not reason:
                extraction.problems.append(
                    Problem(page, number, "`not run` without a reason: say why, in the brackets")
                )
            else:
                skip = reason
        number -= 1
    return skip, attached


def _resolve_includes(
    root: Path, page: str, fence_line: int, body: list[str], extraction: Extraction
) -> list[tuple[int, str]]:
    """The block's lines numbered as on the page, with `--8<--` includes read in."""
    resolved = []
    for offset, line in enumerate(body, 1):
        number = fence_line + offset
        include = INCLUDE.match(line)
        if include is None:
            resolved.append((number, line))
            continue
        included = _read_include(root, include["target"])
        if included is None:
            message = f"cannot read the included {include['target']!r}"
            extraction.problems.append(Problem(page, number, message))
            continue
        resolved += [(number, included_line) for included_line in included]
    return resolved


def _read_include(root: Path, target: str) -> list[str] | None:
    """A file, or one named section of it (`file:name`), as pymdownx.snippets includes it."""
    path, _, section = target.partition(":")
    file = root / path
    if not file.is_file():
        return None
    lines = file.read_text(encoding="utf-8").splitlines()
    if not section:
        return [line for line in lines if not SECTION_MARK.search(line)]
    start = next((i for i, line in enumerate(lines) if f"[start:{section}]" in line), None)
    end = next((i for i, line in enumerate(lines) if f"[end:{section}]" in line), None)
    if start is None or end is None:
        return None
    return [line for line in lines[start + 1 : end] if not SECTION_MARK.search(line)]


def _commands(
    page: str,
    block: list[tuple[int, str]],
    language: str,
    extraction: Extraction,
    fence_line: int,
) -> list[tuple[int, str]]:
    commands: list[tuple[int, str]] = []
    continuing = False
    for number, line in block:
        if continuing:
            start, text = commands[-1]
            commands[-1] = (start, f"{text}\n{line}")
        elif language == "console":
            if line.startswith("$ "):
                commands.append((number, line[2:]))
            else:
                continue  # output
        elif line.strip() and not line.lstrip().startswith("#"):
            commands.append((number, line))
        else:
            continue
        continuing = line.endswith("\\")
    if language == "console" and not commands:
        message = "a console block with no `$ ` line: show output in a text block"
        extraction.problems.append(Problem(page, fence_line, message))
    return commands


def _top_level_include(
    root: Path,
    page: str,
    line: int,
    target: str,
    extraction: Extraction,
    seen: tuple[Path, ...],
) -> None:
    path = target.partition(":")[0]
    if not path.endswith(".md"):
        return  # code or output, shown inside a page's own block
    if path.startswith(GENERATED_EXAMPLES):
        extraction.left_out.append(LeftOut(page, line, target))
        return
    file = (root / path).resolve()
    if path.startswith(".generated/") or not file.is_file() or file in seen:
        message = f"includes {target!r}, whose commands cannot be read before the build"
        extraction.problems.append(Problem(page, line, message))
        return
    _extract_page(root, file, extraction, (*seen, file))


def unavailable_program(command: Command, earlier: list[Command]) -> str | None:
    """Why a program the command runs is not there after the quick start, or None."""
    made = {session for previous in earlier for session in previous.nox_sessions}
    made |= set(command.nox_sessions)
    for program in command.programs:
        parts = Path(program).parts
        if len(parts) == 1 and (program in IN_THE_VENV or program in ON_ANY_MACHINE):
            continue
        if parts[:2] == (".venv", "bin") and len(parts) == 3 and parts[2] in IN_THE_VENV:
            continue
        if len(parts) == 4 and parts[0] == ".nox" and parts[2] == "bin":
            if parts[1] in made:
                continue
            return f"{program} needs `nox -s {parts[1]}` to have run on an earlier page"
        return (
            f"{program} is not on the PATH after the README's quick start (.venv/bin holds "
            f"{', '.join(sorted(IN_THE_VENV))}): use the environment nox made, as lesson 01 "
            "does (.nox/serve/bin/...), or mark the block"
        )
    return None
