"""Exercise 10.1's check reads a Dockerfile as Docker does: these Dockerfiles pass or fail it."""

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from exercises.checks.lesson_10_containers import check_ex_1_dockerfile as check

ROOT = Path(__file__).resolve().parents[2]

BUILDER = """\
FROM python:3.11-slim AS builder
RUN python -m venv /opt/venv
COPY requirements.txt .
RUN /opt/venv/bin/pip install -r requirements.txt
"""
RUNTIME = """\
FROM python:3.11-slim
COPY --from=builder /opt/venv /opt/venv
ENV PATH=/opt/venv/bin:$PATH
WORKDIR /app
COPY main.py .
RUN useradd --system app
USER app
HEALTHCHECK CMD ["python", "-c", "import urllib.request; urllib.request.urlopen('http://127.0.0.1:8000/docs')"]
"""
CMD = 'CMD ["uvicorn", "main:app", "--host", "0.0.0.0"]\n'
GOOD = BUILDER + RUNTIME + CMD

CHECKS: dict[str, Callable[[Any], None]] = {
    name: function for name, function in vars(check).items() if name.startswith("test_")
}


def failed(dockerfile: str) -> set[str]:
    """The names of the checks this Dockerfile fails."""
    stages = check.parse(dockerfile)
    failures = set()
    for name, run in CHECKS.items():
        try:
            run(stages)
        except AssertionError:
            failures.add(name)
    return failures


def test_a_repaired_dockerfile_passes_every_check() -> None:
    assert failed(GOOD) == set()


def test_the_repositorys_own_dockerfile_passes_every_check() -> None:
    assert failed((ROOT / "Dockerfile").read_text()) == set()


def test_a_single_stage_build_without_a_venv_fails() -> None:
    single_stage = """\
FROM python:3.11-slim
WORKDIR /app
COPY requirements.txt main.py ./
RUN pip install -r requirements.txt
ENV PATH=/opt/venv/bin:$PATH
RUN useradd --system app
USER app
HEALTHCHECK CMD ["python", "-c", "import urllib.request; urllib.request.urlopen('http://127.0.0.1:8000/docs')"]
"""
    assert failed(single_stage + CMD) == {
        "test_it_is_a_multi_stage_build",
        "test_the_final_stage_copies_a_virtual_environment_from_the_builder",
        "test_the_virtual_environment_is_first_on_path",
    }


def test_a_venv_left_in_the_builder_fails() -> None:
    dockerfile = GOOD.replace("COPY --from=builder /opt/venv /opt/venv\n", "")
    assert "test_the_final_stage_copies_a_virtual_environment_from_the_builder" in failed(
        dockerfile
    )


def test_a_venv_named_by_a_variable_is_found() -> None:
    dockerfile = GOOD.replace(
        "RUN python -m venv /opt/venv", "ENV VENV=/opt/venv\nRUN python -m venv --copies ${VENV}"
    )
    assert failed(dockerfile) == set()


def test_a_venv_after_the_images_own_path_fails() -> None:
    dockerfile = GOOD.replace("PATH=/opt/venv/bin:$PATH", "PATH=$PATH:/opt/venv/bin")
    assert failed(dockerfile) == {"test_the_virtual_environment_is_first_on_path"}


def test_a_healthcheck_that_makes_no_request_fails() -> None:
    dockerfile = GOOD.replace(
        """["python", "-c", "import urllib.request; urllib.request.urlopen('http://127.0.0.1:8000/docs')"]""",
        '["true"]',
    )
    assert failed(dockerfile) == {"test_the_image_has_a_healthcheck"}


@pytest.mark.parametrize(
    "cmd",
    [
        'CMD ["python", "-m", "uvicorn", "main:app"]',
        'CMD ["/opt/venv/bin/uvicorn", "main:app"]',
    ],
)
def test_uvicorn_may_be_started_through_python_or_by_its_path(cmd: str) -> None:
    assert failed(GOOD.replace(CMD, cmd + "\n")) == set()


@pytest.mark.parametrize(
    "cmd", ['CMD ["sh", "-c", "uvicorn main:app"]', "CMD uvicorn main:app", 'CMD ["python"]']
)
def test_a_cmd_that_does_not_exec_uvicorn_fails(cmd: str) -> None:
    assert failed(GOOD.replace(CMD, cmd + "\n")) == {"test_cmd_is_in_exec_form"}
