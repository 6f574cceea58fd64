"""A lesson page is read in one sitting: the code it shows before any click stays short.

Counted in Chromium at 1280 x 900 on the built site: the lines of every `pre > code` block a
reader sees without opening anything. A block inside a closed `??? example` (a `<details>`) or
in a tab that is not selected is not counted; it is one click away, for whoever wants it. The
idea's key lines stay open; generated diffs, whole test files and long listings are folded.
The blocks are counted as each page opens for the session (tests/browser/visits.py).
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.browser.conftest import OfflinePage
from tests.browser.visits import VISIBLE_BLOCKS, Visits, built_pages

# Lines of code a page may show before any click: a long page of prose still reads in one
# sitting, 500 lines of code do not.
MAX_VISIBLE_CODE_LINES = 500
# The pages a learner reads in order: the home page and everything under lessons/.
PAGES = [page for page in built_pages() if page == "" or page.startswith("lessons/")]


@pytest.fixture(scope="module")
def counts(request: pytest.FixtureRequest) -> Iterator[dict[str, int]]:
    """Each page's count, printed as a table once every page is measured."""
    measured: dict[str, int] = {}
    yield measured
    plugins = request.config.pluginmanager
    reporter, capture = plugins.get_plugin("terminalreporter"), plugins.get_plugin("capturemanager")
    if reporter is None or capture is None or not measured:
        return
    with capture.global_and_fixture_disabled():  # as `capsys.disabled()` does, for a fixture
        reporter.write_line("")
        reporter.write_sep(
            "-", f"code lines shown before any click (at most {MAX_VISIBLE_CODE_LINES})"
        )
        for page, lines in measured.items():
            reporter.write_line(f"{lines:6}  /{page}")


@pytest.mark.parametrize("page_path", PAGES)
def test_code_shown_before_any_click_stays_within_the_limit(
    visits: Visits, page_path: str, counts: dict[str, int]
) -> None:
    blocks = visits.get(page_path).visible_blocks
    visible = sum(block["lines"] for block in blocks)
    counts[page_path] = visible

    biggest = sorted(blocks, key=lambda block: -block["lines"])[:5]
    assert visible <= MAX_VISIBLE_CODE_LINES, (
        f"/{page_path} shows {visible} lines of code before any click; fold some of these:\n"
        + "\n".join(f"{block['lines']:5}  {block['name']}" for block in biggest)
    )


# Two blocks a reader sees (3 lines, 2 lines) and two they do not: one folded, one in a tab
# that is not selected (Material hides those with `display: none`).
MEASURED_BY_HAND = """<article>
  <pre><code>one
two
three
</code></pre>
  <details><summary>folded</summary><pre><code>1
2
3
4
5
</code></pre></details>
  <details open><summary>opened</summary><pre><code>a
b
</code></pre></details>
  <div style="display: none"><pre><code>hidden
tab
</code></pre></div>
</article>"""


def test_the_count_leaves_out_folded_blocks_and_hidden_tabs(offline_page: OfflinePage) -> None:
    offline_page.page.set_content(MEASURED_BY_HAND)
    blocks = offline_page.page.locator("article pre > code").evaluate_all(VISIBLE_BLOCKS)

    assert [block["lines"] for block in blocks] == [3, 2]
