"""Just enough parsing to test what lesson 10 says of a Dockerfile and a .dockerignore."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]


@dataclass(frozen=True)
class Instruction:
    keyword: str
    arguments: str


def instructions(dockerfile: Path) -> list[Instruction]:
    """The instructions in order, continuation lines joined, comments dropped."""
    joined: list[str] = []
    pending = ""
    for line in dockerfile.read_text().splitlines():
        if not pending and (not line.strip() or line.lstrip().startswith("#")):
            continue
        if line.rstrip().endswith("\\"):
            pending += line.rstrip()[:-1] + " "
            continue
        joined.append(pending + line)
        pending = ""
    split = [text.strip().partition(" ") for text in joined]
    return [Instruction(keyword, rest.strip()) for keyword, _, rest in split]


def stages(dockerfile: Path) -> list[list[Instruction]]:
    """The instructions of each stage, starting with its FROM (global ARGs left out)."""
    found: list[list[Instruction]] = []
    for instruction in instructions(dockerfile):
        if instruction.keyword.upper() == "FROM":
            found.append([])
        if found:
            found[-1].append(instruction)
    return found


def arguments(stage: list[Instruction], keyword: str) -> list[str]:
    return [i.arguments for i in stage if i.keyword.upper() == keyword]


def _pattern(glob: str) -> re.Pattern[str]:
    """A .dockerignore pattern as a regular expression (`**` crosses directories, `*` does not)."""
    parts = re.split(r"(\*\*/?|\*|\?|\[[^\]]*\])", glob.strip("/"))
    translated = {"**/": "(.*/)?", "**": ".*", "*": "[^/]*", "?": "[^/]"}

    def translate(part: str) -> str:
        if part.startswith("[") and part.endswith("]"):
            return part.replace("[!", "[^", 1)  # a character class
        return translated.get(part, re.escape(part))

    return re.compile("".join(map(translate, parts)))


def excluded_from_context(dockerignore: Path, path: str) -> bool:
    """Whether the build context leaves `path` out: the last matching pattern decides, and a
    pattern that matches a parent directory matches everything in it (Docker's rules)."""
    excluded = False
    candidates = [path] + ["/".join(path.split("/")[:i]) for i in range(1, path.count("/") + 1)]
    for line in dockerignore.read_text().splitlines():
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        negated = line.startswith("!")
        pattern = _pattern(line.removeprefix("!"))
        if any(pattern.fullmatch(candidate) for candidate in candidates):
            excluded = not negated
    return excluded
