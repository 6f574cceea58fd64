"""`python -m docsgen`: regenerate every diff, "Try it" transcript and table of figures."""

import sys

from . import OUTPUT, diffs, examples, figures


def main() -> int:
    written = (
        diffs.write_all(OUTPUT / "diffs")
        + examples.write_all(OUTPUT / "examples")
        + figures.write_all(OUTPUT / "figures")
    )
    print(f"docsgen: wrote {len(written)} files under {OUTPUT.name}/")
    return 0


if __name__ == "__main__":
    sys.exit(main())
