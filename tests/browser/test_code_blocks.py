"""Code on the docs site as a learner reads it on a laptop: 1280 px wide, nothing hidden.

The course's files are up to 100 columns wide (a diff line is one more: its `+` or `-`). At
1280 px every line of every block is on screen without scrolling sideways, diff file headers do
not look like removed or added lines, and the copy button covers no code. The blocks are
measured with every folded block opened and every tab shown, when each page is opened for the
session (tests/browser/visits.py: SHOW_EVERYTHING, SIDEWAYS_BLOCKS, FIRST_LINES_AND_BUTTONS).
"""

from __future__ import annotations

import pytest

from tests.browser.conftest import COLOR_SCHEMES, ColorScheme, OfflinePage
from tests.browser.visits import PALETTES, Visits, built_pages, lesson_pages, open_page, reveal

# What a diff line is drawn in: its text colour and its background.
DIFF_LINE_COLOURS = """span => {
    const style = getComputedStyle(span);
    return [style.color, style.backgroundColor, style.fontWeight].join(" / ");
}"""


def overlaps(a: dict[str, float], b: dict[str, float]) -> bool:
    return (
        a["left"] < b["right"]
        and b["left"] < a["right"]
        and a["top"] < b["bottom"]
        and b["top"] < a["bottom"]
    )


@pytest.mark.parametrize("page_path", built_pages())
def test_no_code_block_scrolls_sideways_at_1280_px(visits: Visits, page_path: str) -> None:
    visit = visits.get(page_path)
    too_wide = visit.sideways_blocks

    assert not too_wide, (
        f"/{page_path}: {len(too_wide)} of {visit.block_count} blocks scroll:\n"
        + ("\n".join(too_wide))
    )


@pytest.mark.parametrize("page_path", built_pages())
def test_copy_button_covers_no_first_line(visits: Visits, page_path: str) -> None:
    blocks = visits.get(page_path).first_lines_and_buttons

    covered = [
        block["line"]
        for block in blocks
        if any(overlaps(box, block["button"]) for box in block["text"])
    ]
    assert covered == [], f"/{page_path}: the copy button covers these first lines"


@pytest.mark.parametrize("scheme", COLOR_SCHEMES)
def test_diff_file_headers_are_drawn_apart_from_changed_lines(
    offline_page: OfflinePage, site: str, scheme: ColorScheme
) -> None:
    page = offline_page.page
    page.emulate_media(color_scheme=scheme)
    open_page(offline_page, site + lesson_pages()[1])
    assert page.locator("body").get_attribute("data-md-color-scheme") == PALETTES[scheme]
    diff = page.locator("article .language-diff code").first
    reveal(diff)
    removed_header = diff.locator(".gd", has_text="--- ").first
    added_header = diff.locator(".gi", has_text="+++ ").first
    removed_line = diff.locator(".gd").filter(has_not_text="--- ").first
    added_line = diff.locator(".gi").filter(has_not_text="+++ ").first
    headers = [removed_header.evaluate(DIFF_LINE_COLOURS), added_header.evaluate(DIFF_LINE_COLOURS)]
    changed = [removed_line.evaluate(DIFF_LINE_COLOURS), added_line.evaluate(DIFF_LINE_COLOURS)]

    assert headers[0] not in changed, f"--- looks like a removed or added line: {headers[0]}"
    assert headers[1] not in changed, f"+++ looks like a removed or added line: {headers[1]}"
