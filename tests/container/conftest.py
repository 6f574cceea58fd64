"""Fixtures of the container tests: the engine, the image (built once per run), the figures.

The engine is Docker unless CONTAINER_ENGINE says otherwise (see engine.py). Without one the
tests skip and say how to get one; in CI (CI=true) a missing engine fails the run instead.

`pytest tests/container --record-figures` also builds without any cache first, measures what
each of the Dockerfile's cuts saves (see CUTS), then writes the measured figures and the
containers' real output to docs/assets/lesson-10/, which the lesson page includes.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import secrets
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import pytest

from tests.container.engine import Engine, EngineError, Resources
from tests.support.requirements import require

ROOT = Path(__file__).resolve().parents[2]
RECORD_DIR = ROOT / "docs" / "assets" / "lesson-10"
IMAGE = "repairdesk:container-test"
PYTHON_VERSION = re.search(r"^ARG PYTHON_VERSION=(\S+)", (ROOT / "Dockerfile").read_text(), re.M)
BASE_IMAGE = f"python:{PYTHON_VERSION[1] if PYTHON_VERSION else '3'}-slim"
MAX_IMAGE_MB = 180

# The builder's removal steps, in the Dockerfile's order, each found by a command only it runs:
# (key, what it removes, that command). Recording figures builds the image without them, then
# with them one more at a time, so what each saved is the difference between two real builds.
CUTS = (
    ("strip", "symbol tables of compiled extensions (`strip`)", "strip --strip-unneeded"),
    ("test_suites", "the packages' test suites and type stubs", "/mako/testing"),
    (
        "unusable",
        "what the app cannot use: other databases' dialects, dnspython, cffi's C parser",
        "/dnspython-",
    ),
    ("bytecode", "bytecode of the modules the app never imports", "-name __pycache__"),
)


@dataclass
class Figures:
    """Measurements and transcripts of this run, written for the lesson page on request."""

    values: dict[str, float | int | str] = field(default_factory=dict)
    transcripts: dict[str, str] = field(default_factory=dict)

    def write(self, directory: Path) -> None:
        directory.mkdir(parents=True, exist_ok=True)
        if "engine" in self.values:  # the image was built and measured in this run
            rounded = {
                k: round(v, 2) if isinstance(v, float) else v for k, v in self.values.items()
            }
            (directory / "figures.json").write_text(json.dumps(rounded, indent=2) + "\n")
            # .txt, not .md: mkdocs would take a .md file under docs/ for a page of its own
            (directory / "figures.table.txt").write_text(self.table())
        if "image_size_uncut_mb" in self.values:
            (directory / "cuts.table.txt").write_text(self.cuts_table())
        for name, text in self.transcripts.items():
            (directory / f"{name}.txt").write_text(text.rstrip() + "\n")

    def table(self) -> str:
        rows = [
            ("image size", "image_size_mb", "MB"),
            (f"of which the base image ({BASE_IMAGE})", "base_image_size_mb", "MB"),
            ("what the project adds (the image minus its base)", "added_mb", "MB"),
            ("cold build (no layer cache: binutils, every wheel downloaded)", "build_cold_s", "s"),
            ("cached build (nothing changed)", "build_cached_s", "s"),
            ("cold start (`run` to the first 200 from /health/live)", "cold_start_s", "s"),
            ("importing the app, with the bytecode the image ships", "import_with_bytecode_s", "s"),
            (
                "the same without it (app and dependencies compiled)",
                "import_without_bytecode_s",
                "s",
            ),
            ("the blog post's image, around a minimal app", "blog_image_size_mb", "MB"),
            ("its cold build (apt-get, gcc, psycopg2 compiled)", "blog_build_s", "s"),
        ]
        lines = ["| measured | value |", "| --- | ---: |"]
        lines += [
            f"| {label} | {self.values[key]:.1f} {unit} |"
            for label, key, unit in rows
            if key in self.values
        ]
        machine = f"{self.values['cpus']} CPUs"
        if "load_average" in self.values:
            machine += f", load average {self.values['load_average']:.1f} as the build started"
        lines.append("")
        lines.append(
            f"Measured by the container test with {self.values['engine']} on {machine}, "
            f"{self.values['date']}."
        )
        return "\n".join(lines) + "\n"

    def cuts_table(self) -> str:
        uncut, cut = self.values["image_size_uncut_mb"], self.values["image_size_mb"]
        assert isinstance(uncut, float)
        assert isinstance(cut, float)
        lines = ["| the builder leaves out | saved |", "| --- | ---: |"]
        lines += [
            f"| {label} | {self.values[f'saved_{key}_mb']:.1f} MB |" for key, label, _ in CUTS
        ]
        lines.append(f"| **all {len(CUTS)}** | **{uncut - cut:.1f} MB** |")
        lines.append("")
        sentence = f"Without them the image is {uncut:.1f} MB; with them, {cut:.1f} MB"
        if "base_image_size_mb" in self.values:
            base = self.values["base_image_size_mb"]
            assert isinstance(base, float)
            sentence += (
                f": what the project adds to its base goes from {uncut - base:.1f} MB"
                f" to {cut - base:.1f} MB"
            )
        lines.append(
            f"{sentence}. Each saving is the difference between two builds, the Dockerfile"
            " without that step and with it, the steps added back in the Dockerfile's order."
        )
        return "\n".join(lines) + "\n"


FIGURES = pytest.StashKey[Figures]()


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--record-figures",
        action="store_true",
        help="build cold then cached, and write figures and transcripts to docs/assets/lesson-10/",
    )


def pytest_terminal_summary(
    terminalreporter: pytest.TerminalReporter, config: pytest.Config
) -> None:
    figures = config.stash.get(FIGURES, None)
    if figures and figures.values:
        terminalreporter.section("container figures")
        for key, value in figures.values.items():
            terminalreporter.line(
                f"{key}: {value:.2f}" if isinstance(value, float) else f"{key}: {value}"
            )


@pytest.fixture(scope="session")
def engine() -> Engine:
    engine = Engine.from_environment()
    reason = engine.unavailable_reason()
    require(
        reason is None,
        f"No container engine ({reason}). Install Docker (https://docs.docker.com/get-docker/) "
        "and start it, or set CONTAINER_ENGINE=podman.",
    )
    return engine


@pytest.fixture(scope="session")
def figures(request: pytest.FixtureRequest) -> Iterator[Figures]:
    figures = Figures()
    figures.values["date"] = datetime.now(UTC).date().isoformat()
    request.config.stash[FIGURES] = figures
    yield figures
    if request.config.getoption("--record-figures") and request.session.testsfailed == 0:
        figures.write(RECORD_DIR)


def timed_build(engine: Engine, *flags: str) -> float:
    started = time.perf_counter()
    engine("build", *engine.build_flags, *flags, "--tag", IMAGE, str(ROOT), timeout=900)
    return time.perf_counter() - started


def size_mb(engine: Engine, image: str) -> float:
    return int(engine("image", "inspect", "--format", "{{.Size}}", image)) / 1e6


def without_steps(dockerfile: str, *commands: str) -> str:
    """The Dockerfile without the steps that run these commands (a step: a block of comments
    and one instruction, blank lines around it, as the project's Dockerfile writes them)."""
    blocks = dockerfile.split("\n\n")
    for command in commands:
        matching = [block for block in blocks if command in block]
        assert len(matching) == 1, f"{len(matching)} steps of the Dockerfile run {command!r}"
        blocks.remove(matching[0])
    return "\n\n".join(blocks)


def measure_cuts(engine: Engine, figures: Figures) -> None:
    """Build the image without the builder's cuts, then with one more at a time: each one's
    saving, in MB. The layers before the first cut come from the cache."""
    dockerfile = (ROOT / "Dockerfile").read_text()
    sizes: list[float] = []
    with tempfile.TemporaryDirectory() as directory:
        for kept in range(len(CUTS)):
            variant = Path(directory) / f"Dockerfile.{kept}"
            variant.write_text(without_steps(dockerfile, *(c for _, _, c in CUTS[kept:])))
            tag = f"{IMAGE}-cuts-{kept}"
            engine("build", *engine.build_flags, "--file", str(variant), "--tag", tag,
                   str(ROOT), timeout=900)  # fmt: skip
            sizes.append(size_mb(engine, tag))
            engine("rmi", tag, check=False)
    sizes.append(size_mb(engine, IMAGE))
    figures.values["image_size_uncut_mb"] = sizes[0]
    for (key, label, _), before, after in zip(CUTS, sizes, sizes[1:], strict=False):
        assert after < before, (
            f"leaving out {label} saved nothing: {before:.2f} MB, then {after:.2f}"
        )
        figures.values[f"saved_{key}_mb"] = before - after


@pytest.fixture(scope="session")
def image(request: pytest.FixtureRequest, engine: Engine, figures: Figures) -> str:
    """The project's image, built from the repository's Dockerfile once per run."""
    figures.values["engine"] = engine("--version").strip()
    figures.values["cpus"] = os.cpu_count() or 1
    if hasattr(os, "getloadavg"):  # not on Windows
        figures.values["load_average"] = os.getloadavg()[0]
    if request.config.getoption("--record-figures"):
        figures.values["build_cold_s"] = timed_build(engine, "--no-cache")
        figures.values["build_cached_s"] = timed_build(engine)
    else:
        figures.values["build_s"] = timed_build(engine)
    size = figures.values["image_size_mb"] = size_mb(engine, IMAGE)
    # BuildKit may keep the base image in its own cache rather than in the image list.
    with contextlib.suppress(EngineError):
        base = figures.values["base_image_size_mb"] = size_mb(engine, BASE_IMAGE)
        figures.values["added_mb"] = size - base
    if request.config.getoption("--record-figures"):
        measure_cuts(engine, figures)
    return IMAGE


@pytest.fixture
def resources(engine: Engine) -> Iterator[Resources]:
    """Containers and volumes a single test starts; all removed when it ends."""
    started = Resources(engine)
    yield started
    started.remove_all()


@pytest.fixture(scope="session")
def secret_key() -> str:
    """A production-grade signing key, made for this run and never written anywhere."""
    return secrets.token_urlsafe(48)


def unique_name(prefix: str = "repairdesk-test") -> str:
    return f"{prefix}-{secrets.token_hex(4)}"
