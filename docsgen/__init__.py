"""Generate what the docs pages include but nobody may write by hand.

- `diffs`: what changed from one lesson to the next, as a unified diff of the two packages.
- `examples`: the "Try it" transcripts: requests run against each lesson's real app, with the
  responses it actually gave.
- `figures`: tables of what a real run measured, from the JSON it committed.

`python -m docsgen` writes them under `.generated/` (git ignores it); `nox -s docs` runs it
before `mkdocs build`, and `docsgen/hook.py` runs it on every rebuild of `mkdocs serve`.
"""

from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUTPUT = ROOT / ".generated"
LESSONS = ROOT / "lessons"
