"""The docs site as a learner meets it: built, served on 127.0.0.1, read in Chromium, offline.

The pages are discovered from the built site's search index, so a new page is checked the day
it is added. `nox -s browser` builds the site first; `BROWSER_SITE` points elsewhere. Each page
is opened once for the whole session and what these tests read is recorded then
(tests/browser/visits.py); the tests that click or type open a tab of their own.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import OfflinePage
from tests.browser.servers import static_site
from tests.browser.visits import (
    LESSON_PAGE,
    SITE,
    Visits,
    built_pages,
    lesson_pages,
    open_page,
    rendered,
)

# A word from the body of lesson 02 (money is a Decimal there), and the title that must come up.
SEARCH_WORD, SEARCH_FINDS = "Decimal", "02 Validation"


@pytest.mark.parametrize("page_path", built_pages())
def test_page_renders_with_nothing_from_outside(visits: Visits, page_path: str) -> None:
    # Its full-page screenshot is taken as it opens: .nox/browser-screenshots/docs-*.png
    assert visits.get(page_path).requests_leaving_localhost == []


@pytest.mark.parametrize("page_path", built_pages())
def test_page_logs_no_error_and_loads_every_image(visits: Visits, page_path: str) -> None:
    visit = visits.get(page_path)

    assert visit.errors == []
    assert visit.broken_images == []


@pytest.mark.parametrize("page_path", lesson_pages())
def test_lesson_page_shows_its_included_code(visits: Visits, page_path: str) -> None:
    # The first code block titled lessons/lesson_NN_..., its folded blocks opened, is visible.
    hidden = visits.get(page_path).own_code_hidden

    assert hidden is None, f"/{page_path}: its own code stays hidden once revealed:\n{hidden}"


@pytest.mark.parametrize("page_path", lesson_pages()[1:])
def test_lesson_page_shows_its_generated_diff(visits: Visits, page_path: str) -> None:
    # The diff's `+++ lesson_NN_...` header (inserted: the `gi` class), revealed, is visible.
    hidden = visits.get(page_path).diff_hidden

    assert hidden is None, f"/{page_path}: its diff stays hidden once revealed:\n{hidden}"


def test_next_links_walk_the_lessons_in_order(visits: Visits, site: str) -> None:
    # Each page's next link as a reader would click it (visible, enabled, not covered: checked
    # by Playwright's trial click), followed from the home page to the last page.
    visited: list[str] = []
    visit = visits.get("")
    while visit.next_link is not None:
        assert visit.next_link_unclickable is None, (
            f"/{visit.path}: its next link cannot be clicked:\n{visit.next_link_unclickable}"
        )
        assert visit.next_link.startswith(site), f"/{visit.path} leads off the site"
        visited.append(visit.next_link.removeprefix(site))
        assert len(visited) <= len(built_pages()), f"the next links loop: {visited}"
        visit = visits.get(visited[-1])

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
    rendered(offline_page.page)

    assert offline_page.page.url.startswith(site_in_a_sub_path + "lessons/")
    assert offline_page.errors == []
