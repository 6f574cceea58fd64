"""The docs site as a learner meets it: built, served on 127.0.0.1, read in Chromium, offline.

The pages are discovered from the built site's search index, so a new page is checked the day
it is added. `nox -s browser` builds the site first; `BROWSER_SITE` points elsewhere.
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Iterator
from functools import cache
from pathlib import Path

import pytest
from playwright.sync_api import Locator, expect

from tests.browser.conftest import ROOT, OfflinePage
from tests.browser.servers import static_site

SITE = Path(os.environ.get("BROWSER_SITE", ROOT / ".nox" / "browser-site"))
LESSON_PAGE = re.compile(r"^lessons/(\d\d)-[\w-]+/$")
# A word from the body of lesson 02 (money is a Decimal there), and the title that must come up.
SEARCH_WORD, SEARCH_FINDS = "Decimal", "02 Validation"


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


@pytest.fixture(scope="session")
def site() -> Iterator[str]:
    if not (SITE / "index.html").exists():
        pytest.fail(
            f"No built site in {SITE}: run `nox -s browser`, which builds it, or "
            f"`python -m docsgen && mkdocs build --strict --site-dir {SITE}`."
        )
    with static_site(SITE) as url:
        yield url


def open_page(tab: OfflinePage, url: str) -> None:
    tab.page.goto(url, wait_until="networkidle")
    expect(tab.page.locator("article.md-content__inner h1").first).to_be_visible()


def reveal(target: Locator) -> Locator:
    """Open the collapsed blocks (`??? note`) around `target`, outermost first, as readers do."""
    collapsed = target.locator("xpath=ancestor::details[not(@open)]")
    for _ in range(collapsed.count()):
        collapsed.first.locator("xpath=./summary").click()
    return target


@pytest.mark.parametrize("page_path", built_pages())
def test_page_renders_with_nothing_from_outside(
    offline_page: OfflinePage, site: str, page_path: str
) -> None:
    open_page(offline_page, site + page_path)
    offline_page.screenshot(screenshot_name(page_path))

    assert offline_page.requests_leaving_localhost() == []


@pytest.mark.parametrize("page_path", built_pages())
def test_page_logs_no_error_and_loads_every_image(
    offline_page: OfflinePage, site: str, page_path: str
) -> None:
    open_page(offline_page, site + page_path)
    broken_images = offline_page.page.eval_on_selector_all(
        # complete with no width: the browser tried and got nothing (a lazy image not yet due
        # to load is not complete, so it is not counted)
        "article img",
        "images => images.filter(i => i.complete && !i.naturalWidth).map(i => i.src)",
    )

    assert offline_page.errors == []
    assert broken_images == []


@pytest.mark.parametrize("page_path", lesson_pages())
def test_lesson_page_shows_its_included_code(
    offline_page: OfflinePage, site: str, page_path: str
) -> None:
    number = lesson_number(page_path)
    open_page(offline_page, site + page_path)
    titles = offline_page.page.locator("article .highlight .filename")
    title = reveal(titles.filter(has_text=f"lessons/lesson_{number}_").first)

    expect(title).to_be_visible()


@pytest.mark.parametrize("page_path", lesson_pages()[1:])
def test_lesson_page_shows_its_generated_diff(
    offline_page: OfflinePage, site: str, page_path: str
) -> None:
    number = lesson_number(page_path)
    open_page(offline_page, site + page_path)
    # Highlighted as a diff: the lines a lesson adds carry the `gi` (inserted) class.
    added_file = offline_page.page.locator(
        "article .highlight .gi", has_text=f"+++ lesson_{number}_"
    ).first

    expect(reveal(added_file)).to_be_visible()


def test_next_links_walk_the_lessons_in_order(offline_page: OfflinePage, site: str) -> None:
    open_page(offline_page, site)
    visited: list[str] = []
    next_link = offline_page.page.locator("a.md-footer__link--next")
    while next_link.count():
        next_link.click()
        offline_page.page.wait_for_load_state()
        visited.append(offline_page.page.url.removeprefix(site))
        assert len(visited) <= len(built_pages()), f"the next links loop: {visited}"

    lessons_in_walk = [page for page in visited if LESSON_PAGE.match(page)]
    assert lessons_in_walk == lesson_pages()


def test_course_path_diagram_links_to_pages_that_exist(
    offline_page: OfflinePage, site: str
) -> None:
    open_page(offline_page, site)
    diagram = offline_page.page.locator("svg.course-path")
    expect(diagram).to_be_visible()
    targets = diagram.locator("a").evaluate_all("links => links.map(a => a.href.baseVal)")

    missing = [target for target in targets if target not in built_pages()]
    assert targets
    assert missing == []


def test_search_finds_a_lesson_by_a_word_from_its_body(
    offline_page: OfflinePage, site: str
) -> None:
    page = offline_page.page
    open_page(offline_page, site)
    search = page.locator("input.md-search__input")
    search.click()
    search.press_sequentially(SEARCH_WORD, delay=50)
    results = page.locator(".md-search-result__item")

    expect(results.filter(has_text=SEARCH_FINDS).first).to_be_visible()
    offline_page.screenshot("docs-search")


def test_palette_toggle_switches_to_dark_mode_and_back(
    offline_page: OfflinePage, site: str
) -> None:
    page = offline_page.page
    open_page(offline_page, site)
    body = page.locator("body")
    toggle = page.locator("form[data-md-component=palette] label:visible")
    expect(body).to_have_attribute("data-md-color-scheme", "default")

    toggle.click()
    expect(body).to_have_attribute("data-md-color-scheme", "slate")
    offline_page.screenshot("docs-home-dark")
    open_page(offline_page, site + lesson_pages()[-1])
    offline_page.screenshot("docs-lesson-dark")

    toggle.click()
    expect(body).to_have_attribute("data-md-color-scheme", "default")


@pytest.fixture(scope="session")
def site_in_a_sub_path(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The built site one folder down, as GitHub Pages serves a project: /<repository>/."""
    if not (SITE / "index.html").exists():
        pytest.fail(f"No built site in {SITE}: run `nox -s browser`, which builds it.")
    root = tmp_path_factory.mktemp("pages")
    (root / "scripting-to-scale").symlink_to(SITE.resolve(), target_is_directory=True)
    with static_site(root) as url:
        yield url + "scripting-to-scale/"


def test_site_is_styled_from_a_sub_path_as_github_pages_serves_it(
    offline_page: OfflinePage, site_in_a_sub_path: str
) -> None:
    open_page(offline_page, site_in_a_sub_path + lesson_pages()[0])
    header = offline_page.page.locator(".md-header")
    header_colour = header.evaluate("h => getComputedStyle(h).backgroundColor")

    assert header_colour != "rgba(0, 0, 0, 0)"  # the theme's stylesheet was found
    assert offline_page.errors == []


def test_next_link_stays_in_the_sub_path(
    offline_page: OfflinePage, site_in_a_sub_path: str
) -> None:
    open_page(offline_page, site_in_a_sub_path + lesson_pages()[0])
    offline_page.page.locator("a.md-footer__link--next").click()
    offline_page.page.wait_for_load_state()

    assert offline_page.page.url.startswith(site_in_a_sub_path + "lessons/")
    assert offline_page.errors == []
