"""The docs site for every reader: axe-core on every page, in the light and the dark palette.

axe-core (shipped by axe-playwright-python, injected into the page: nothing is fetched) checks
what a reader who sees colours poorly, listens through a screen reader or uses only a keyboard
runs into: text contrast (WCAG AA, 4.5:1, highlighted code included), links told apart from
prose without colour, named dialogs and landmarks, scrollable regions reachable by keyboard.
Folded blocks are opened and every tab shown first, so hidden code is checked too.

A critical, serious or moderate violation fails the page, and the message lists every
violation by rule with its first elements; a minor one is reported as a warning.
"""

from __future__ import annotations

import warnings
from collections.abc import Mapping, Sequence
from typing import Any

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Page, expect

from tests.browser import test_docs_site as docs
from tests.browser.conftest import ColorScheme, OfflinePage
from tests.browser.test_code_blocks import SHOW_EVERYTHING

site = docs.site  # the built site, served on 127.0.0.1 (a fixture)

AXE = Axe()
# axe's default rules: the WCAG 2.0 to 2.2 A and AA checks it runs unless told otherwise, and
# its best practices (landmark-unique, scrollable-region-focusable...).
AXE_OPTIONS = {"resultTypes": ["violations"]}
FAILING_IMPACTS = {"critical", "serious", "moderate"}
SCHEMES: dict[ColorScheme, str] = {"light": "default", "dark": "slate"}  # to Material's palette
NODES_SHOWN = 5
# Two frames: what the page's scripts do when a block opens (accessibility.js makes a table
# that now scrolls focusable) is done before axe looks, as it is before a reader tabs there.
NEXT_FRAMES = "() => new Promise(done => requestAnimationFrame(() => requestAnimationFrame(done)))"


class MinorAccessibilityIssue(UserWarning):
    """A violation axe rates minor: reported, not failed."""


pytestmark = pytest.mark.filterwarnings(  # reported in the summary, not failed
    "default::tests.browser.test_accessibility.MinorAccessibilityIssue"
)


def open_in_scheme(tab: OfflinePage, url: str, scheme: ColorScheme) -> Page:
    page = tab.page
    page.emulate_media(color_scheme=scheme)  # the palette follows it (nobody chose one)
    docs.open_page(tab, url)
    expect(page.locator("body")).to_have_attribute("data-md-color-scheme", SCHEMES[scheme])
    return page


def violations(page: Page, where: str) -> list[dict[str, Any]]:
    """axe's violations on the page as it is now; the minor ones are reported and left out."""
    found: list[dict[str, Any]] = AXE.run(page, options=AXE_OPTIONS).response["violations"]
    minor = [violation for violation in found if violation["impact"] not in FAILING_IMPACTS]
    if minor:
        warnings.warn(f"{where}:\n{describe(minor)}", MinorAccessibilityIssue, stacklevel=2)
    return [violation for violation in found if violation["impact"] in FAILING_IMPACTS]


def describe(found: Sequence[Mapping[str, Any]]) -> str:
    """One paragraph per rule: impact, rule, how many elements, the first few and why."""
    lines = []
    for violation in sorted(found, key=lambda v: (v["impact"] or "", v["id"])):
        nodes, rule = violation["nodes"], violation["id"]
        lines.append(f"{violation['impact']}: {rule} ({len(nodes)}): {violation['help']}")
        for node in nodes[:NODES_SHOWN]:
            reason = " ".join(node.get("failureSummary", "").split())
            lines.append(f"    {' '.join(map(str, node['target']))}: {reason[:240]}")
        if len(nodes) > NODES_SHOWN:
            lines.append(f"    ...and {len(nodes) - NODES_SHOWN} more")
    return "\n".join(lines)


@pytest.mark.parametrize("scheme", SCHEMES)
@pytest.mark.parametrize("page_path", docs.built_pages())
def test_page_has_no_accessibility_violation(
    offline_page: OfflinePage, site: str, page_path: str, scheme: ColorScheme
) -> None:
    page = open_in_scheme(offline_page, site + page_path, scheme)
    page.evaluate(SHOW_EVERYTHING)
    page.evaluate(NEXT_FRAMES)
    where = f"/{page_path} ({scheme})"
    found = violations(page, where)

    assert found == [], f"{where}:\n{describe(found)}"


@pytest.mark.parametrize("scheme", SCHEMES)
def test_search_and_its_results_have_no_accessibility_violation(
    offline_page: OfflinePage, site: str, scheme: ColorScheme
) -> None:
    page = open_in_scheme(offline_page, site, scheme)
    search = page.locator("input.md-search__input")
    search.click()
    search.press_sequentially(docs.SEARCH_WORD, delay=50)
    expect(page.locator(".md-search-result__item").first).to_be_visible()
    where = f"search for {docs.SEARCH_WORD!r} ({scheme})"
    found = violations(page, where)

    assert found == [], f"{where}:\n{describe(found)}"
