"""What lesson 10 says of the project's Dockerfile and of the blog post's, checked on the files.

The container tests (`nox -s container`) build and run the image; these read the recipes.
"""

from __future__ import annotations

import json
import re

import pytest

from tests.lessons.lesson_10_containers.recipes import (
    ROOT,
    Instruction,
    arguments,
    excluded_from_context,
    instructions,
    stages,
)

DOCKERFILE = ROOT / "Dockerfile"
BLOG_POST = ROOT / "lessons" / "lesson_10_containers" / "blog_post" / "Dockerfile"


@pytest.fixture(scope="module")
def builder() -> list[Instruction]:
    return stages(DOCKERFILE)[0]


@pytest.fixture(scope="module")
def runtime() -> list[Instruction]:
    return stages(DOCKERFILE)[-1]


def environment(stage: list[Instruction]) -> dict[str, str]:
    pairs = " ".join(arguments(stage, "ENV")).split()
    return dict(pair.split("=", 1) for pair in pairs)


def test_every_stage_starts_from_python_slim_named_by_one_arg() -> None:
    assert "ARG PYTHON_VERSION=" in DOCKERFILE.read_text()
    bases = [stage[0].arguments.split()[0] for stage in stages(DOCKERFILE)]
    assert bases == ["python:${PYTHON_VERSION}-slim"] * 2


def test_builder_installs_hashed_wheels_only(builder: list[Instruction]) -> None:
    (install,) = [run for run in arguments(builder, "RUN") if " pip " in run and " install " in run]
    assert "--only-binary=:all:" in install
    assert "--require-hashes -r /tmp/runtime.txt" in install


def test_builder_installs_no_compiler(builder: list[Instruction]) -> None:
    # binutils, for strip, is a tool of the builder; nothing there compiles or needs headers.
    runs = " ".join(arguments(builder, "RUN"))
    assert not re.search(r"\b(gcc|g\+\+|clang|build-essential|libpq-dev|python3?-dev)\b", runs)


def test_runtime_copies_only_from_the_builder(runtime: list[Instruction]) -> None:
    assert all(copy.startswith("--from=builder ") for copy in arguments(runtime, "COPY"))


def test_runtime_runs_as_a_numeric_unprivileged_user(runtime: list[Instruction]) -> None:
    assert arguments(runtime, "USER") == ["10001:10001"]


def test_runtime_sets_pythons_container_flags(runtime: list[Instruction]) -> None:
    env = environment(runtime)
    assert (env["PYTHONDONTWRITEBYTECODE"], env["PYTHONUNBUFFERED"]) == ("1", "1")


def test_runtime_bakes_in_no_secret(runtime: list[Instruction]) -> None:
    assert not [name for name in environment(runtime) if "SECRET" in name or "PASSWORD" in name]


def test_runtime_is_production_by_default(runtime: list[Instruction]) -> None:
    assert environment(runtime)["REPAIRDESK_PRODUCTION"] == "1"


def test_runtime_probes_health_live_with_the_standard_library(
    runtime: list[Instruction],
) -> None:
    (healthcheck,) = arguments(runtime, "HEALTHCHECK")
    assert "urllib.request" in healthcheck
    assert "/health/live" in healthcheck


def test_runtime_serves_the_final_app_on_port_8000(runtime: list[Instruction]) -> None:
    env = environment(runtime)
    assert arguments(runtime, "EXPOSE") == ["8000"]
    # every interface of the container, which only the published port exposes
    assert (env["UVICORN_HOST"], env["UVICORN_PORT"]) == ("0.0.0.0", "8000")  # noqa: S104
    assert json.loads(arguments(runtime, "CMD")[0]) == ["uvicorn", "final_app.main:app"]


def test_migrations_are_not_hidden_in_the_command(runtime: list[Instruction]) -> None:
    assert "migrate" not in " ".join(arguments(runtime, "CMD"))


@pytest.mark.parametrize(
    "path",
    [".git/HEAD", ".env", "final_app/.env", ".venv/bin/python", ".nox/lint/bin/ruff",
     "site/index.html", "repairdesk.db", "final_app/__pycache__/main.cpython-311.pyc",
     "tests/conftest.py", "docs/index.md"],
)  # fmt: skip
def test_build_context_leaves_out(path: str) -> None:
    assert excluded_from_context(ROOT / ".dockerignore", path)


@pytest.mark.parametrize("path", ["requirements/runtime.txt", "final_app/main.py"])
def test_build_context_lets_in(path: str) -> None:
    assert not excluded_from_context(ROOT / ".dockerignore", path)


def test_blog_posts_dockerfile_names_no_user() -> None:
    assert not [i for i in instructions(BLOG_POST) if i.keyword.upper() == "USER"]


def test_blog_posts_dockerfile_declares_no_healthcheck() -> None:
    assert not [i for i in instructions(BLOG_POST) if i.keyword.upper() == "HEALTHCHECK"]


def test_blog_posts_dockerfile_copies_the_whole_working_tree() -> None:
    assert ". ." in arguments(stages(BLOG_POST)[-1], "COPY")


def test_blog_posts_dockerfile_installs_a_compiler() -> None:
    assert any("gcc" in run for run in arguments(stages(BLOG_POST)[0], "RUN"))
