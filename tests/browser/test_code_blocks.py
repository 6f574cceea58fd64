"""Code on the docs site as a learner reads it on a laptop: 1280 px wide, nothing hidden.

The course's files are up to 100 columns wide (a diff line is one more: its `+` or `-`). At
1280 px every line of every block is on screen without scrolling sideways, diff file headers do
not look like removed or added lines, and the copy button covers no code.
"""

from __future__ import annotations

import pytest

from tests.browser import test_docs_site as docs
from tests.browser.conftest import COLOR_SCHEMES, ColorScheme, OfflinePage

site = docs.site  # the built site, served on 127.0.0.1 (a fixture)

# Folded blocks (`??? note`) opened and every tab shown, so hidden code is measured too.
SHOW_EVERYTHING = """() => {
    document.querySelectorAll("details").forEach(details => { details.open = true; });
    const style = document.createElement("style");
    style.textContent = ".tabbed-content > .tabbed-block { display: block !important; }";
    document.head.append(style);
}"""
SIDEWAYS_BLOCKS = """codes => codes
    .filter(code => code.scrollWidth > code.clientWidth + 1)
    .map(code => `${code.scrollWidth - code.clientWidth}px too wide: `
        + code.textContent.split("\\n")[0].trim())"""

# The first line of each block that has a copy button, as the boxes its text takes on screen.
COPY_BUTTON = ".md-code__button[data-md-type=copy], .md-clipboard"
FIRST_LINES_AND_BUTTONS = """pres => pres
    .filter(pre => pre.offsetParent !== null && pre.querySelector("{COPY_BUTTON}"))
    .map(pre => {
        const code = pre.querySelector(":scope > code");
        const line = code.querySelector(":scope > span") || code;
        // The glyphs only: a diff line's coloured band runs under the button, its text does not.
        const walker = document.createTreeWalker(line, NodeFilter.SHOW_TEXT);
        const text = [];
        for (let node = walker.nextNode(); node; node = walker.nextNode()) {
            const range = document.createRange();
            range.selectNodeContents(node);
            text.push(...[...range.getClientRects()].filter(r => r.width > 0 && r.height > 0));
        }
        const button = pre.querySelector("{COPY_BUTTON}").getBoundingClientRect();
        return {
            line: line.textContent.split("\\n")[0].trim(),
            text: text.map(r => ({left: r.left, right: r.right, top: r.top, bottom: r.bottom})),
            button: {left: button.left, right: button.right, top: button.top,
                     bottom: button.bottom},
        };
    })""".replace("{COPY_BUTTON}", COPY_BUTTON)
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


@pytest.mark.parametrize("page_path", docs.built_pages())
def test_no_code_block_scrolls_sideways_at_1280_px(
    offline_page: OfflinePage, site: str, page_path: str
) -> None:
    page = offline_page.page
    docs.open_page(offline_page, site + page_path)
    page.evaluate(SHOW_EVERYTHING)
    blocks = page.locator("article pre > code")
    too_wide = blocks.evaluate_all(SIDEWAYS_BLOCKS)

    assert not too_wide, f"/{page_path}: {len(too_wide)} of {blocks.count()} blocks scroll:\n" + (
        "\n".join(too_wide)
    )


@pytest.mark.parametrize("page_path", docs.built_pages())
def test_copy_button_covers_no_first_line(
    offline_page: OfflinePage, site: str, page_path: str
) -> None:
    docs.open_page(offline_page, site + page_path)
    offline_page.page.evaluate(SHOW_EVERYTHING)
    blocks = offline_page.page.locator("article pre").evaluate_all(FIRST_LINES_AND_BUTTONS)

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
    docs.open_page(offline_page, site + docs.lesson_pages()[1])
    expected = "slate" if scheme == "dark" else "default"
    assert page.locator("body").get_attribute("data-md-color-scheme") == expected
    diff = page.locator("article .language-diff code").first
    docs.reveal(diff)
    removed_header = diff.locator(".gd", has_text="--- ").first
    added_header = diff.locator(".gi", has_text="+++ ").first
    removed_line = diff.locator(".gd").filter(has_not_text="--- ").first
    added_line = diff.locator(".gi").filter(has_not_text="+++ ").first
    headers = [removed_header.evaluate(DIFF_LINE_COLOURS), added_header.evaluate(DIFF_LINE_COLOURS)]
    changed = [removed_line.evaluate(DIFF_LINE_COLOURS), added_line.evaluate(DIFF_LINE_COLOURS)]

    assert headers[0] not in changed, f"--- looks like a removed or added line: {headers[0]}"
    assert headers[1] not in changed, f"+++ looks like a removed or added line: {headers[1]}"
