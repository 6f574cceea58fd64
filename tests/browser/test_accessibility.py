"""The docs site for every reader: axe-core on every page, in the light and the dark palette.

axe-core (shipped by axe-playwright-python, injected into the page: nothing is fetched) checks
what a reader who sees colours poorly, listens through a screen reader, uses only a keyboard or
taps a touch screen runs into: text contrast (WCAG AA, 4.5:1, highlighted code included), links
told apart from prose without colour, named dialogs and landmarks, scrollable regions reachable
by keyboard, targets at least 24 by 24 px or with that much room (WCAG 2.2, `target-size`).
Folded blocks are opened and every tab shown first, so hidden code is checked too. axe runs once
per page and palette, when the page is opened for the session (tests/browser/visits.py).

A critical, serious or moderate violation fails the page, and the message lists every
violation by rule with its first elements; a minor one is reported as a warning.
"""

from __future__ import annotations

import warnings
from collections.abc import Mapping, Sequence
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import COLOR_SCHEMES, ColorScheme, OfflinePage
from tests.browser.test_docs_site import SEARCH_WORD
from tests.browser.visits import PALETTES, Visits, built_pages, open_page, run_axe

FAILING_IMPACTS = {"critical", "serious", "moderate"}
NODES_SHOWN = 5


class MinorAccessibilityIssue(UserWarning):
    """A violation axe rates minor: reported, not failed."""


pytestmark = pytest.mark.filterwarnings(  # reported in the summary, not failed
    "default::tests.browser.test_accessibility.MinorAccessibilityIssue"
)


def failing(found: list[dict[str, Any]], where: str) -> list[dict[str, Any]]:
    """The violations that fail a page; the minor ones are reported and left out."""
    minor = [violation for violation in found if violation["impact"] not in FAILING_IMPACTS]
    if minor:
        warnings.warn(f"{where}:\n{describe(minor)}", MinorAccessibilityIssue, stacklevel=2)
    return [violation for violation in found if violation["impact"] in FAILING_IMPACTS]


def violations(page: Page, where: str) -> list[dict[str, Any]]:
    """axe's violations on the page as it is now; the minor ones are reported and left out."""
    return failing(run_axe(page), where)


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


@pytest.mark.parametrize("scheme", COLOR_SCHEMES)
@pytest.mark.parametrize("page_path", built_pages())
def test_page_has_no_accessibility_violation(
    visits: Visits, page_path: str, scheme: ColorScheme
) -> None:
    visit = visits.get(page_path, scheme)
    where = f"/{page_path} ({scheme})"
    found = failing(visit.violations, where)

    assert visit.palette == PALETTES[scheme], f"{where}: the palette does not follow the system"
    assert found == [], f"{where}:\n{describe(found)}"


@pytest.mark.parametrize("scheme", COLOR_SCHEMES)
def test_search_and_its_results_have_no_accessibility_violation(
    offline_page: OfflinePage, site: str, scheme: ColorScheme
) -> None:
    page = offline_page.page
    page.emulate_media(color_scheme=scheme)  # the palette follows it (nobody chose one)
    open_page(offline_page, site)
    expect(page.locator("body")).to_have_attribute("data-md-color-scheme", PALETTES[scheme])
    search = page.locator("input.md-search__input")
    search.click()
    search.press_sequentially(SEARCH_WORD, delay=50)
    expect(page.locator(".md-search-result__item").first).to_be_visible()
    where = f"search for {SEARCH_WORD!r} ({scheme})"
    found = violations(page, where)

    assert found == [], f"{where}:\n{describe(found)}"
