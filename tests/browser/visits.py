"""The docs site's pages, each opened once per colour scheme and read in one go.

Opening a page is most of what a browser test costs, and axe most of the rest: so each page is
opened once in a light tab and once in a dark tab, both kept for the whole session, and what
every test of the site reads is recorded then, in the order a reader meets it.

In the light tab, as the page opens: the requests it made and the errors it logged, its broken
images, the code blocks shown before any click, its next link (and that it can be clicked), a
full-page screenshot; on a lesson page, its own code and its diff, each revealed as a reader
does. Then everything folded is opened and every tab shown, and the code blocks are measured
(sideways scrolling, the copy button over a first line). Last, axe runs, in both tabs at once:
each tab has its own renderer process, so the two runs share the machine's cores.

The tests assert on these records: `Visits.get(page_path, scheme)` opens the page the first time
any test asks for it (so `-k` opens only the pages it needs) and returns the same record after.
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

from axe_playwright_python.base import AXE_SCRIPT
from playwright.sync_api import Error, Locator, Page, expect

from tests.browser.conftest import COLOR_SCHEMES, ROOT, ColorScheme, OfflinePage

SITE = Path(os.environ.get("BROWSER_SITE", ROOT / ".nox" / "browser-site"))
LESSON_PAGE = re.compile(r"^lessons/(\d\d)-[\w-]+/$")
# Material's palette for each scheme the reader's system asks for (nobody chose one).
PALETTES: dict[ColorScheme, str] = {"light": "default", "dark": "slate"}
WHY_LINES = 6  # of Playwright's message, when a reader could not see or click something


@cache  # the site is built before the tests run and does not change under them
def built_pages() -> list[str]:
    """Every page of the built site, by its path ('' is the home page), in the site's order."""
    index = SITE / "search" / "search_index.json"
    if not index.exists():
        return [""]  # the `site` fixture then fails and says how to build it
    documents = json.loads(index.read_text())["docs"]
    return [doc["location"] for doc in documents if "#" not in doc["location"]]


def lesson_pages() -> list[str]:
    return sorted(page for page in built_pages() if LESSON_PAGE.match(page))


def lesson_number(page_path: str) -> str:
    found = LESSON_PAGE.match(page_path)
    assert found, f"{page_path} is not a lesson page"
    return found.group(1)


def screenshot_name(page_path: str) -> str:
    return "docs-" + (page_path.strip("/").replace("/", "-") or "home")


# Two frames: what the page's scripts do once it has rendered, or once a block opens (Material's
# copy buttons, accessibility.js making a table that now scrolls focusable), is done before
# anything is measured, as it is before a reader gets there.
NEXT_FRAMES = "() => new Promise(done => requestAnimationFrame(() => requestAnimationFrame(done)))"


def open_page(tab: OfflinePage, url: str) -> None:
    """Open a page of the site and wait until Material has rendered it."""
    tab.page.goto(url)
    rendered(tab.page)


def rendered(page: Page) -> None:
    """Wait for a page that is loading: the load event (every stylesheet, script and image it
    names has arrived), its title shown, then two frames for what Material's scripts do."""
    page.wait_for_load_state()
    expect(page.locator("article.md-content__inner h1").first).to_be_visible()
    page.evaluate(NEXT_FRAMES)


def reveal(target: Locator) -> Locator:
    """Open the collapsed blocks (`??? note`) around `target`, outermost first, as readers do."""
    collapsed = target.locator("xpath=ancestor::details[not(@open)]")
    for _ in range(collapsed.count()):
        collapsed.first.locator("xpath=./summary").click()
    return target


# --- what is measured in the page, each a function of the elements a selector finds ----------

# Folded blocks (`??? note`) opened and every tab shown, so hidden code is measured too.
SHOW_EVERYTHING = """() => {
    document.querySelectorAll("details").forEach(details => { details.open = true; });
    const style = document.createElement("style");
    style.textContent = ".tabbed-content > .tabbed-block { display: block !important; }";
    document.head.append(style);
}"""

# Each block the reader sees without a click (`article pre > code`): its line count and its
# first line (or title). A block in a closed `<details>` or a tab not selected is not counted.
VISIBLE_BLOCKS = """codes => codes
    .filter(code => !code.closest("details:not([open])") && code.checkVisibility())
    .map(code => {
        const block = code.closest(".highlight");
        const title = block && block.querySelector(".filename");
        return {
            lines: code.textContent.replace(/\\n$/, "").split("\\n").length,
            name: (title ? title.textContent : code.textContent.split("\\n")[0]).trim(),
        };
    })"""

# Images (`article img`) complete with no width: the browser tried and got nothing (a lazy image
# not yet due to load is not complete, so it is not counted).
BROKEN_IMAGES = "images => images.filter(i => i.complete && !i.naturalWidth).map(i => i.src)"

# Blocks (`article pre > code`) wider than their box, by how much, and their first line.
SIDEWAYS_BLOCKS = """codes => codes
    .filter(code => code.scrollWidth > code.clientWidth + 1)
    .map(code => `${code.scrollWidth - code.clientWidth}px too wide: `
        + code.textContent.split("\\n")[0].trim())"""

# The first line of each block (`article pre`) that has a copy button, as the boxes its text
# takes on screen, and the button's box.
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


def measure(measurements: dict[str, tuple[str, str]]) -> str:
    """One evaluate() for several measurements: each name maps to (selector, function)."""
    calls = ",\n".join(
        f"{json.dumps(name)}: ({function})([...document.querySelectorAll({json.dumps(selector)})])"
        for name, (selector, function) in measurements.items()
    )
    return f"() => ({{\n{calls}\n}})"


AS_THE_PAGE_OPENS = measure(
    {
        "visible_blocks": ("article pre > code", VISIBLE_BLOCKS),
        "broken_images": ("article img", BROKEN_IMAGES),
        "next_link": ("a.md-footer__link--next", "links => links.map(a => a.href)"),
    }
)
WITH_EVERYTHING_SHOWN = measure(
    {
        "sideways_blocks": ("article pre > code", SIDEWAYS_BLOCKS),
        "block_count": ("article pre > code", "codes => codes.length"),
        "first_lines_and_buttons": ("article pre", FIRST_LINES_AND_BUTTONS),
    }
)


# --- axe --------------------------------------------------------------------------------------

# axe-core as axe-playwright-python ships it (4.12), injected into the page: nothing is fetched.
AXE_SOURCE: str = AXE_SCRIPT
# axe's default rules: the WCAG 2.0 to 2.2 A and AA checks it runs unless told otherwise, and its
# best practices (landmark-unique, scrollable-region-focusable...); and target-size (WCAG 2.2's
# 2.5.8, Target Size (Minimum): 24 by 24 CSS px, or that much room around a smaller target),
# which axe 4.12 leaves off unless asked.
AXE_OPTIONS: dict[str, Any] = {
    "resultTypes": ["violations"],
    "rules": {"target-size": {"enabled": True}},
}
START_AXE = """options => {
    window.__axeViolations = axe.run(document, options).then(results => results.violations);
}"""
AXE_VIOLATIONS = "() => window.__axeViolations"


def start_axe(page: Page) -> None:
    """Start axe on the page as it is now, without waiting for it (see `axe_violations`)."""
    page.evaluate(AXE_SOURCE)
    page.evaluate(START_AXE, AXE_OPTIONS)


def axe_violations(page: Page) -> list[dict[str, Any]]:
    """What the axe run started on the page found, once it has finished."""
    found: list[dict[str, Any]] = page.evaluate(AXE_VIOLATIONS)
    return found


def run_axe(page: Page) -> list[dict[str, Any]]:
    """axe's violations on the page as it is now, every impact."""
    start_axe(page)
    return axe_violations(page)


# --- the records ------------------------------------------------------------------------------


@dataclass
class PageVisit:
    """What one page showed in one colour scheme; most of it is read in the light tab only."""

    path: str
    scheme: ColorScheme
    palette: str = ""  # Material's, as the body says: "default" or "slate"
    requests_leaving_localhost: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    violations: list[dict[str, Any]] = field(default_factory=list)  # axe's, every impact
    # In the light tab, as the page opens:
    visible_blocks: list[dict[str, Any]] = field(default_factory=list)
    broken_images: list[str] = field(default_factory=list)
    next_link: str | None = None  # where a.md-footer__link--next leads, if the page has one
    next_link_unclickable: str | None = None  # why a reader could not click it
    # On a lesson page, why its own code or its diff stayed hidden once revealed (None: shown):
    own_code_hidden: str | None = None
    diff_hidden: str | None = None
    # With everything opened and shown:
    sideways_blocks: list[str] = field(default_factory=list)
    block_count: int = 0
    first_lines_and_buttons: list[dict[str, Any]] = field(default_factory=list)


class PageUnreadableError(Exception):
    """The page could not be opened or read: every test that reads it fails with the reason."""


class Visits:
    """Each page of the site opened once per scheme, on first demand, in two reused tabs."""

    def __init__(self, site: str, tabs: dict[ColorScheme, OfflinePage]) -> None:
        self.site = site
        self.tabs = tabs
        self.records: dict[str, dict[ColorScheme, PageVisit] | BaseException] = {}

    def get(self, page_path: str, scheme: ColorScheme = "light") -> PageVisit:
        if page_path not in self.records:
            try:
                self.records[page_path] = self._visit(page_path)
            except Exception as error:  # kept: the page's other tests fail the same way, fast
                self.records[page_path] = error
        record = self.records[page_path]
        if isinstance(record, BaseException):
            raise PageUnreadableError(f"/{page_path} could not be read: {record}") from record
        return record[scheme]

    def _visit(self, page_path: str) -> dict[ColorScheme, PageVisit]:
        url = self.site + page_path
        light, dark = self.tabs["light"], self.tabs["dark"]
        for tab in (light, dark):  # both load at once
            tab.forget()
            tab.page.goto(url, wait_until="commit")
        records: dict[ColorScheme, PageVisit] = {}
        for scheme in ("dark", "light"):
            tab = self.tabs[scheme]
            rendered(tab.page)
            palette = tab.page.locator("body").get_attribute("data-md-color-scheme")
            records[scheme] = PageVisit(page_path, scheme, palette=palette or "")

        # Dark: everything shown, then axe, left running while the light tab is read.
        dark.page.evaluate(SHOW_EVERYTHING)
        dark.page.evaluate(NEXT_FRAMES)
        start_axe(dark.page)

        self._read_as_it_opens(records["light"], light)
        light.page.evaluate(SHOW_EVERYTHING)
        light.page.evaluate(NEXT_FRAMES)
        shown = light.page.evaluate(WITH_EVERYTHING_SHOWN)
        records["light"].sideways_blocks = shown["sideways_blocks"]
        records["light"].block_count = shown["block_count"]
        records["light"].first_lines_and_buttons = shown["first_lines_and_buttons"]
        start_axe(light.page)

        for scheme in COLOR_SCHEMES:
            tab = self.tabs[scheme]
            records[scheme].violations = axe_violations(tab.page)
            records[scheme].requests_leaving_localhost = tab.requests_leaving_localhost()
            records[scheme].errors = list(tab.errors)
        return records

    def _read_as_it_opens(self, record: PageVisit, tab: OfflinePage) -> None:
        page = tab.page
        opened = page.evaluate(AS_THE_PAGE_OPENS)
        record.visible_blocks = opened["visible_blocks"]
        record.broken_images = opened["broken_images"]
        record.next_link = opened["next_link"][0] if opened["next_link"] else None
        tab.screenshot(screenshot_name(record.path))

        if record.next_link is not None:
            record.next_link_unclickable = why_not(
                lambda: page.locator("a.md-footer__link--next").click(trial=True)
            )
        if LESSON_PAGE.match(record.path):
            number = lesson_number(record.path)
            titles = page.locator("article .highlight .filename")
            own_code = titles.filter(has_text=f"lessons/lesson_{number}_").first
            record.own_code_hidden = why_not(lambda: expect(reveal(own_code)).to_be_visible())
            if record.path != lesson_pages()[0]:  # the first lesson has no diff
                # Highlighted as a diff: the lines a lesson adds carry the `gi` (inserted) class.
                added_file = page.locator(
                    "article .highlight .gi", has_text=f"+++ lesson_{number}_"
                ).first
                record.diff_hidden = why_not(lambda: expect(reveal(added_file)).to_be_visible())
        # As the page was before the clicks, for axe: at the top, nothing focused or hovered.
        page.mouse.move(0, 0)
        page.evaluate("() => { document.activeElement?.blur(); window.scrollTo(0, 0); }")


def why_not(action: Callable[[], object]) -> str | None:
    """None when `action()` succeeds; what went wrong when it does not."""
    try:
        action()
    except (AssertionError, Error) as error:
        return "\n".join(str(error).splitlines()[:WHY_LINES]) or repr(error)
    return None
