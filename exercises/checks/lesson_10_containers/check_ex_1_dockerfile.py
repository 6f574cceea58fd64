"""Checks the repaired Dockerfile by reading it: stages, venv, user, copies, healthcheck, CMD.

--8<-- [start:hint]
Compare with the repository's `Dockerfile`, which lesson 10 walks through. In the builder:
`RUN python -m venv /opt/venv`, then install with `/opt/venv/bin/pip install -r ...`. In the
final stage: `COPY --from=builder /opt/venv /opt/venv`, put `/opt/venv/bin` first on `PATH`,
`COPY main.py .` (only what runs), create a user with `useradd` and switch to it with `USER`,
add `HEALTHCHECK CMD [...]` that requests a URL of the app (python's `urllib.request` can: slim
images have no curl), and write `CMD ["uvicorn", "main:app", ...]`.
--8<-- [end:hint]
"""

import json
import re
import shlex
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


# `python -m venv [--options] DIR`, `virtualenv DIR` or `uv venv DIR`: DIR is the environment.
VENV_COMMAND = re.compile(r"(?:-m\s+venv|\bvirtualenv|\buv\s+venv)(?:\s+-\S+)*\s+([^\s;&|]+)")


def variables(stage: list[Instruction]) -> dict[str, str]:
    """The stage's ENV and ARG values, to read `$VENV` the way Docker would."""
    values: dict[str, str] = {}
    for instruction in stage:
        if instruction.keyword not in {"ENV", "ARG"} or not instruction.arguments:
            continue
        first = instruction.arguments.split()[0]
        if "=" not in first:  # `ENV NAME value`, the old form (or an ARG without a default)
            name, _, value = instruction.arguments.partition(" ")
            if value.strip():
                values[name] = value.strip()
            continue
        for pair in shlex.split(instruction.arguments):
            name, _, value = pair.partition("=")
            values[name] = value
    return values


def expand(text: str, values: dict[str, str]) -> str:
    return re.sub(r"\$\{?(\w+)\}?", lambda match: values.get(match[1], match[0]), text)


def virtual_environments(stage: list[Instruction]) -> set[str]:
    """The folders where the stage's RUN instructions create a virtual environment."""
    values = variables(stage)
    return {
        expand(folder, values).rstrip("/")
        for instruction in stage
        if instruction.keyword == "RUN"
        for folder in VENV_COMMAND.findall(instruction.arguments)
    }


def copied_virtual_environment(stages: list[list[Instruction]]) -> str | None:
    """Where the final stage puts a virtual environment it COPYs --from an earlier stage."""
    built = [stage for stage in stages if stage[0].keyword == "FROM"]  # not global ARGs
    names: dict[str, list[Instruction]] = {}
    for number, stage in enumerate(built[:-1]):
        names[str(number)] = stage
        words = stage[0].arguments.split()
        if len(words) >= 3 and words[-2].upper() == "AS":
            names[words[-1].lower()] = stage
    values = variables(built[-1])
    for copy in final(stages, "COPY"):
        options = [w for w in copy.arguments.split() if w.startswith("--")]
        words = [expand(w, values) for w in copy.arguments.split() if not w.startswith("--")]
        origin = next((o.partition("=")[2] for o in options if o.startswith("--from=")), None)
        source = names.get(origin.lower()) if origin else None
        if source is None or len(words) < 2:
            continue
        if {w.rstrip("/") for w in words[:-1]} & virtual_environments(source):
            return words[-1].rstrip("/")
    return None


def test_it_is_a_multi_stage_build(stages: list[list[Instruction]]) -> None:
    froms = [stage for stage in stages if stage[0].keyword == "FROM"]
    assert len(froms) >= 2, (
        "the Dockerfile has one stage: install the dependencies in a builder stage "
        "(FROM ... AS builder), and copy only the result into the final stage"
    )


def test_the_final_stage_copies_a_virtual_environment_from_the_builder(
    stages: list[list[Instruction]],
) -> None:
    created = set().union(*(virtual_environments(stage) for stage in stages[:-1]))
    assert created, (
        "no builder stage creates a virtual environment: RUN python -m venv /opt/venv, then "
        "install into it with /opt/venv/bin/pip"
    )
    folders = ", ".join(sorted(created))
    assert copied_virtual_environment(stages), (
        f"the final stage does not copy the builder's virtual environment ({folders}): "
        "COPY --from=builder /opt/venv /opt/venv"
    )


def test_the_virtual_environment_is_first_on_path(stages: list[list[Instruction]]) -> None:
    venv = copied_virtual_environment(stages)
    assert venv, "the final stage copies no virtual environment from the builder"
    path = variables(stages[-1]).get("PATH", "")
    entries = [entry.rstrip("/") for entry in path.split(":")]
    inherited = [i for i, entry in enumerate(entries) if entry in {"$PATH", "${PATH}"}]
    assert f"{venv}/bin" in entries, (
        f"{venv}/bin is not on PATH: ENV PATH={venv}/bin:$PATH, so that `uvicorn` and "
        "`python` are the virtual environment's"
    )
    assert not inherited or entries.index(f"{venv}/bin") < inherited[0], (
        f"{venv}/bin comes after the image's own PATH: put it first, ENV PATH={venv}/bin:$PATH"
    )


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
    assert re.search(r"https?://", checks[-1].arguments), (
        "the HEALTHCHECK does not request a URL of the app: a check that never calls it says "
        "nothing of whether it answers. Probe it over HTTP; in a slim image, python can: "
        "urllib.request.urlopen('http://127.0.0.1:8000/docs', timeout=4)"
    )


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
    # `uvicorn ...`, `/opt/venv/bin/uvicorn ...` or `python -m uvicorn ...`; not `sh -c "..."`.
    assert any(Path(str(word)).name == "uvicorn" for word in words[:3]), (
        f"the CMD should start uvicorn; it runs {words}"
    )
