"""`python -m docsgen`: regenerate every diff and every "Try it" transcript."""

import sys

from . import OUTPUT, diffs, examples


def main() -> int:
    written = diffs.write_all(OUTPUT / "diffs") + examples.write_all(OUTPUT / "examples")
    print(f"docsgen: wrote {len(written)} files under {OUTPUT.name}/")
    return 0


if __name__ == "__main__":
    sys.exit(main())
