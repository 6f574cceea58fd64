"""Checks the repaired Dockerfile by reading it: user, copies, install, healthcheck, CMD.

--8<-- [start:hint]
Compare with the repository's `Dockerfile`, which lesson 09 walks through. In the builder:
`RUN python -m venv /opt/venv`, then install with `/opt/venv/bin/pip install -r ...`. In the
final stage: `COPY --from=builder /opt/venv /opt/venv`, put `/opt/venv/bin` first on `PATH`,
`COPY main.py .` (only what runs), create a user with `useradd` and switch to it with `USER`,
add `HEALTHCHECK CMD [...]` (python's `urllib.request` can probe the app: slim images have no
curl), and write `CMD ["uvicorn", "main:app", ...]`.
--8<-- [end:hint]
"""

import json
import re
from dataclasses import dataclass
from pathlib import Path

import pytest


@dataclass(frozen=True)
class Instruction:
    keyword: str
    arguments: str


def parse(text: str) -> list[list[Instruction]]:
    """The Dockerfile's instructions, stage by stage (a stage starts at each FROM)."""
    joined = re.sub(r"\\\s*\n", " ", text)  # continuation lines
    stages: list[list[Instruction]] = []
    for line in joined.splitlines():
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        keyword, _, arguments = line.partition(" ")
        instruction = Instruction(keyword.upper(), arguments.strip())
        if instruction.keyword == "FROM" or not stages:
            stages.append([])
        stages[-1].append(instruction)
    return stages


@pytest.fixture
def stages(path: Path) -> list[list[Instruction]]:
    dockerfile = path / "Dockerfile"
    assert dockerfile.exists(), f"there is no Dockerfile in {path}"
    found = parse(dockerfile.read_text())
    assert found, "the Dockerfile has no instructions"
    return found


def final(stages: list[list[Instruction]], keyword: str) -> list[Instruction]:
    return [i for i in stages[-1] if i.keyword == keyword]


def test_the_final_stage_runs_as_a_non_root_user(stages: list[list[Instruction]]) -> None:
    users = final(stages, "USER")
    assert users, "the final stage has no USER instruction: the app would run as root"
    user = users[-1].arguments.split(":")[0]
    assert user not in {"root", "0"}, f"the final stage switches to USER {user}, which is root"


def test_nothing_copies_the_whole_build_context(stages: list[list[Instruction]]) -> None:
    for stage in stages:
        for copy in (i for i in stage if i.keyword in {"COPY", "ADD"}):
            words = [w for w in copy.arguments.split() if not w.startswith("--")]
            sources = words[:-1]
            assert not {".", "./", "*"} & set(sources), (
                f"`{copy.keyword} {copy.arguments}` copies the whole build context: "
                "copy the files the app needs by name"
            )


def test_dependencies_are_not_installed_with_pip_user(stages: list[list[Instruction]]) -> None:
    everything = [i for stage in stages for i in stage]
    for instruction in everything:
        assert not (instruction.keyword == "RUN" and "--user" in instruction.arguments), (
            f"`RUN {instruction.arguments}` installs into /root/.local: use a virtual environment"
        )
        assert "/root/.local" not in instruction.arguments, (
            f"`{instruction.keyword} {instruction.arguments}` still uses /root/.local"
        )


def test_the_image_has_a_healthcheck(stages: list[list[Instruction]]) -> None:
    checks = final(stages, "HEALTHCHECK")
    assert checks, "the final stage has no HEALTHCHECK"
    assert checks[-1].arguments.upper() != "NONE", "HEALTHCHECK NONE turns the health check off"
    assert "CMD" in checks[-1].arguments, "a HEALTHCHECK needs a CMD that probes the app"


def test_cmd_is_in_exec_form(stages: list[list[Instruction]]) -> None:
    commands = final(stages, "CMD")
    assert commands, "the final stage has no CMD"
    command = commands[-1].arguments
    try:
        words = json.loads(command)
    except ValueError:
        words = None
    assert isinstance(words, list), (
        f"`CMD {command}` is in shell form: /bin/sh becomes PID 1 and uvicorn never gets the "
        'SIGTERM of `docker stop`. Write it as a JSON list: CMD ["uvicorn", ...]'
    )
    assert words[:1] == ["uvicorn"], f"the CMD should start uvicorn; it runs {words}"
