"""A thin mkdocs hook for `mkdocs serve` (mkdocs.serve.yml): regenerate on every rebuild.

The published build does not use it: `nox -s docs` runs `python -m docsgen` first, so that
mkdocs.yml stays free of hooks and other builders (Zensical) can read it.
"""

from typing import Any

from docsgen.__main__ import main


def on_pre_build(config: Any) -> None:
    main()
