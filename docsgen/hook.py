"""A thin mkdocs hook for `mkdocs serve` (mkdocs.serve.yml): regenerate on every rebuild.

It runs `python -m docsgen` in a fresh process each time: inside the long-lived server,
imported lesson modules would stay cached (an edit would not show in "Try it") and module
state would pile up from one rebuild to the next (ids would shift).

The published build does not use it: `nox -s docs` runs `python -m docsgen` first, so that
mkdocs.yml stays free of hooks and other builders (Zensical) can read it.
"""

import subprocess
import sys
from pathlib import Path
from typing import Any

# mkdocs loads this file by its path, so the project root is found from here, not imported.
ROOT = Path(__file__).resolve().parent.parent


def on_pre_build(config: Any) -> None:
    # check=True: a scenario that fails stops the rebuild instead of serving stale pages.
    subprocess.run([sys.executable, "-m", "docsgen"], cwd=ROOT, check=True)
