"""The pages' shell commands: how they are read, and that each runs or says why it does not.

Running them is slow (`nox -s page-commands` does it in a fresh clone); these tests read the
pages only, and catch what needs no run: a marker without a reason, a command whose program
the quick start does not provide, a curl with no server before it.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tests.docs.page_commands import (
    EXPECTATIONS,
    GENERATED_REASON,
    ROOT,
    Command,
    extract,
    pages,
    unavailable_program,
)

FENCE = "```"


def write(folder: Path, name: str, text: str) -> Path:
    path = folder / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)
    return path


def commands_of(tmp_path: Path, text: str) -> list[Command]:
    extraction = extract(tmp_path, [write(tmp_path, "page.md", text)])
    assert extraction.problems == []
    return extraction.commands


def problems_of(tmp_path: Path, text: str) -> list[str]:
    extraction = extract(tmp_path, [write(tmp_path, "page.md", text)])
    return [problem.message for problem in extraction.problems]


# --- reading blocks ---------------------------------------------------------------------------


def test_console_commands_are_the_dollar_lines_and_the_rest_is_output(tmp_path: Path) -> None:
    page = f"{FENCE}console\n$ nox -s serve -- 01\nINFO: Started\n$ curl http://127.0.0.1:8000/\n{{}}\n{FENCE}\n"
    commands = commands_of(tmp_path, page)
    assert [(c.line, c.text) for c in commands] == [
        (2, "nox -s serve -- 01"),
        (4, "curl http://127.0.0.1:8000/"),
    ]


def test_a_backslash_continues_a_command_on_the_next_line(tmp_path: Path) -> None:
    page = f"{FENCE}console\n$ A=1 \\\n  nox -s serve -- 09\noutput\n{FENCE}\n"
    (command,) = commands_of(tmp_path, page)
    assert command.text == "A=1 \\\n  nox -s serve -- 09"
    assert command.one_line == "A=1 nox -s serve -- 09"


def test_every_line_of_a_bash_block_is_a_command_but_comments(tmp_path: Path) -> None:
    page = f"{FENCE}bash\n# set up\npython3 -m venv .venv\n\nuv pip compile \\\n  x\n{FENCE}\n"
    assert [c.text for c in commands_of(tmp_path, page)] == [
        "python3 -m venv .venv",
        "uv pip compile \\\n  x",
    ]


@pytest.mark.parametrize("language", ["python", "text", "yaml", "http", "diff", ""])
def test_other_blocks_hold_no_commands(tmp_path: Path, language: str) -> None:
    assert commands_of(tmp_path, f"{FENCE}{language}\n$ rm -rf /\n{FENCE}\n") == []


def test_blocks_in_admonitions_are_read_without_their_indentation(tmp_path: Path) -> None:
    page = f'??? note "Run it"\n\n    {FENCE}console\n    $ nox -s lesson-01\n    {FENCE}\n'
    assert [c.text for c in commands_of(tmp_path, page)] == ["nox -s lesson-01"]


def test_a_block_that_includes_a_file_runs_the_files_lines(tmp_path: Path) -> None:
    write(tmp_path, "steps.sh", "# --8<-- [start:two]\necho two\n# --8<-- [end:two]\necho one\n")
    page = f'{FENCE}bash\n--8<-- "steps.sh:two"\n{FENCE}\n{FENCE}sh\n--8<-- "steps.sh"\n{FENCE}\n'
    assert [(c.line, c.text) for c in commands_of(tmp_path, page)] == [
        (2, "echo two"),
        (5, "echo two"),
        (5, "echo one"),
    ]


def test_a_console_block_without_a_prompt_is_a_problem(tmp_path: Path) -> None:
    assert problems_of(tmp_path, f"{FENCE}console\nnox -s serve\n{FENCE}\n") == [
        "a console block with no `$ ` line: show output in a text block"
    ]


# --- markers --------------------------------------------------------------------------------


def test_a_marker_right_above_a_block_says_why_its_commands_are_not_run(tmp_path: Path) -> None:
    page = (
        "<!-- commands: not run (needs a Docker daemon) -->\n"
        "<!-- ci: another comment may sit between -->\n"
        f"{FENCE}console\n$ docker build .\n$ docker run x\n{FENCE}\n"
        f"{FENCE}console\n$ nox -s serve\n{FENCE}\n"
    )
    assert [c.skip for c in commands_of(tmp_path, page)] == [
        "needs a Docker daemon",
        "needs a Docker daemon",
        None,
    ]


@pytest.mark.parametrize(
    ("marker", "problem"),
    [
        ("not run", "a commands marker reads `not run (the reason)`"),
        ("not run ()", "`not run` without a reason: say why, in the brackets"),
        ("not run (  )", "`not run` without a reason: say why, in the brackets"),
        ("skip (docker)", "a commands marker reads `not run (the reason)`"),
    ],
)
def test_a_marker_without_a_reason_is_a_problem(tmp_path: Path, marker: str, problem: str) -> None:
    page = f"<!-- commands: {marker} -->\n{FENCE}console\n$ docker build .\n{FENCE}\n"
    assert problems_of(tmp_path, page) == [problem]


@pytest.mark.parametrize(
    "page",
    [
        f"<!-- commands: not run (docker) -->\n\n{FENCE}console\n$ docker build .\n{FENCE}\n",
        f"<!-- commands: not run (docker) -->\n{FENCE}python\nprint()\n{FENCE}\n",
        "<!-- commands: not run (docker) -->\nSome prose.\n",
    ],
    ids=["a blank line between", "above a python block", "above prose"],
)
def test_a_marker_must_sit_right_above_a_command_block(tmp_path: Path, page: str) -> None:
    assert problems_of(tmp_path, page) == [
        "a commands marker with no console/bash block right below it"
    ]


def test_generated_transcripts_are_left_out_with_their_reason(tmp_path: Path) -> None:
    page = 'Try it:\n\n--8<-- ".generated/examples/lesson_02_validation.md:create-a-ticket"\n'
    extraction = extract(tmp_path, [write(tmp_path, "page.md", page)])
    assert extraction.problems == []
    assert [(item.line, item.target, item.reason) for item in extraction.left_out] == [
        (3, ".generated/examples/lesson_02_validation.md:create-a-ticket", GENERATED_REASON)
    ]


def test_an_included_page_is_read_where_it_is_included(tmp_path: Path) -> None:
    write(tmp_path, "docs/part.md", f"{FENCE}console\n$ nox -s lesson-02\n{FENCE}\n")
    page = f'{FENCE}console\n$ nox -s lesson-01\n{FENCE}\n--8<-- "docs/part.md"\n'
    commands = commands_of(tmp_path, page)
    assert [c.where for c in commands] == ["page.md:2", "docs/part.md:2"]


def test_other_generated_markdown_is_a_problem(tmp_path: Path) -> None:
    assert problems_of(tmp_path, '--8<-- ".generated/steps.md"\n') == [
        "includes '.generated/steps.md', whose commands cannot be read before the build"
    ]


# --- what the runner needs to know ----------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "port"),
    [
        (
            "python3 -m venv .venv && .venv/bin/pip install -q nox uv && .venv/bin/nox -s serve",
            8000,
        ),
        ("REPAIRDESK_ADMIN_EMAIL=a@b.c nox -s serve -- 09", 8000),
        ("PORT=8010 nox -s serve", 8010),
        ("nox -s docs-serve", 8001),
        (".nox/serve/bin/uvicorn final_app.main:app --host 127.0.0.1 --port 8002", 8002),
        ("SIMULATED_QUERY_MS=2000 .nox/serve/bin/uvicorn lessons.x:app", 8000),
        ("mkdocs serve -a 127.0.0.1:8003", 8003),
    ],
)
def test_a_command_that_serves_is_known_with_its_port(text: str, port: int) -> None:
    command = Command("page.md", 1, text)
    assert command.is_server
    assert command.port == port


@pytest.mark.parametrize(
    "text", ["nox -s lesson-01", "nox -s check -- 01", "curl http://127.0.0.1:8000/", "uv pip list"]
)
def test_other_commands_run_to_their_end(text: str) -> None:
    assert not Command("page.md", 1, text).is_server


def test_a_program_the_quick_start_does_not_provide_is_named() -> None:
    bare = Command("page.md", 1, "uvicorn lessons.lesson_06_async.blocking:app")
    problem = unavailable_program(bare, earlier=[])
    assert problem is not None
    assert problem.startswith("uvicorn is not on the PATH after the README's quick start")


def test_a_nox_environment_is_there_once_a_page_made_it() -> None:
    uvicorn = Command("page.md", 3, ".nox/serve/bin/uvicorn final_app.main:app")
    assert unavailable_program(uvicorn, earlier=[]) == (
        ".nox/serve/bin/uvicorn needs `nox -s serve` to have run on an earlier page"
    )
    assert (
        unavailable_program(uvicorn, earlier=[Command("page.md", 1, "nox -s serve -- 01")]) is None
    )


# --- the course's pages -----------------------------------------------------------------------

EXTRACTION = extract()
RUN = [command for command in EXTRACTION.commands if command.skip is None]
REQUESTS = [command for command in RUN if command.is_request]


def test_every_page_of_the_course_is_read() -> None:
    names = [path.relative_to(ROOT).as_posix() for path in pages()]
    assert names[:2] == ["README.md", "docs/index.md"]
    assert "docs/lessons/10-containers.md" in names
    assert "docs/final-app/operations.md" in names
    assert "docs/exercises/index.md" in names
    assert len(names) == len(set(names)) == len(list((ROOT / "docs").rglob("*.md"))) + 1


def test_the_pages_commands_can_be_read() -> None:
    assert [str(problem) for problem in EXTRACTION.problems] == []


def test_the_readme_quick_start_comes_first_and_makes_the_venv() -> None:
    first = EXTRACTION.commands[0]
    assert first.page == "README.md"
    assert first.skip is None
    assert first.programs[:2] == ["python3", ".venv/bin/pip"]


@pytest.mark.parametrize("command", RUN, ids=[c.where for c in RUN])
def test_each_command_runs_with_what_the_quick_start_and_earlier_pages_provide(
    command: Command,
) -> None:
    earlier = RUN[: RUN.index(command)]
    assert unavailable_program(command, earlier) is None


@pytest.mark.parametrize("command", REQUESTS, ids=[c.where for c in REQUESTS])
def test_each_request_follows_a_server_on_its_page(command: Command) -> None:
    before = [c for c in RUN[: RUN.index(command)] if c.page == command.page]
    servers = [c for c in before if c.is_server]
    assert servers, "a curl needs a server started earlier on its page"
    assert re.search(rf"//(127\.0\.0\.1|localhost):{servers[-1].port}\b", command.text)


def test_every_expectation_has_a_reason_and_a_command() -> None:
    for expectation in EXPECTATIONS:
        assert expectation.reason.strip(), expectation.pattern
        assert any(command.expectation is expectation for command in RUN), expectation.pattern


def test_every_generated_transcript_the_pages_include_is_left_out() -> None:
    included = {
        (page, number)
        for page in pages()
        for number, line in enumerate(page.read_text().splitlines(), 1)
        if ".generated/examples/" in line and "--8<--" in line
    }
    left_out = {(ROOT / item.page, item.line) for item in EXTRACTION.left_out}
    assert left_out == included
    assert len(left_out) >= 9  # lessons 01 to 09 each have a "Try it"
