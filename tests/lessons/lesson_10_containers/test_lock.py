"""The image installs from requirements/runtime.txt: a hashed lock of pyproject's dependencies."""

from __future__ import annotations

import re
import tomllib

from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

from tests.lessons.lesson_10_containers.recipes import ROOT

LOCK = ROOT / "requirements" / "runtime.txt"
PIN = re.compile(r"^([A-Za-z0-9._-]+)==(\S+) \\$", re.M)


def pins() -> dict[str, str]:
    return {canonicalize_name(name): version for name, version in PIN.findall(LOCK.read_text())}


def test_lock_pins_every_runtime_dependency_within_its_range() -> None:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    locked = pins()
    for line in project["dependencies"]:
        requirement = Requirement(line)
        name = canonicalize_name(requirement.name)
        assert name in locked, f"{name} is missing: regenerate the lock (see its first lines)"
        assert requirement.specifier.contains(locked[name]), f"{name}=={locked[name]} is stale"


def test_every_pin_carries_a_hash() -> None:
    entries = re.split(r"\n(?=\S)", LOCK.read_text())
    packages = [entry for entry in entries if PIN.match(entry)]
    assert packages
    assert all("--hash=sha256:" in entry for entry in packages)


def test_lock_holds_no_uvicorn_extras() -> None:
    assert not {"uvloop", "httptools", "watchfiles", "websockets"} & pins().keys()


def test_lock_holds_nothing_only_the_lessons_use() -> None:
    # Lesson 06's AsyncSession needs these; the final app, and so its image, does not.
    assert not {"aiosqlite", "greenlet"} & pins().keys()
