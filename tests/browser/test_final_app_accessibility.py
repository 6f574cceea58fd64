"""RepairDesk's /docs and /redoc through axe-core: what is ours is fixed, what is not is named.

The page shells are FastAPI's and ours (a language, a main region, Swagger UI's colours
darkened to AA in `final_app/static/swagger-ui-contrast.css`, deep links off so no link sits
inside a button); the widgets are Swagger UI's and ReDoc's. Each page is checked as a reader
meets it, in both colour schemes, and Swagger UI also as it is used: an operation opened for
"Try it out", and the Authorize dialog. axe runs with the docs site's options
(tests/browser/visits.py), WCAG 2.2's `target-size` included.

A critical or serious violation fails, unless it is one of the widgets' own listed in UPSTREAM
with its reason and upstream report: a new one fails, and one that an upgrade fixed is reported.
Moderate ones (heading levels and regions inside the widgets) are reported as warnings.
"""

from __future__ import annotations

import warnings
from typing import Any

import pytest
from playwright.sync_api import Page

from tests.browser.conftest import COLOR_SCHEMES, ColorScheme, OfflinePage
from tests.browser.test_accessibility import MinorAccessibilityIssue, describe
from tests.browser.test_final_app_docs import CREATE_TICKET, open_redoc, open_swagger_ui
from tests.browser.visits import run_axe

FAILING_IMPACTS = {"critical", "serious"}
Upstream = tuple[str, str]  # (axe rule, a CSS selector the element matches)
# Why each stays: markup inside Swagger UI's or ReDoc's bundle, not in the page we serve.
UPSTREAM: dict[Upstream, str] = {
    ("label", "textarea"): "the request body editor has no label (swagger-api/swagger-ui#7350)",
    ("button-name", ".close-modal"): "the Authorize dialog's close button has no name "
    "(swagger-api/swagger-ui#10706)",
    # WCAG 2.2's target-size: an operation's "Copy path to clipboard" button is a few pixels
    # wide (3 px by 25 px) while the pointer is not over its summary, and grows when it is.
    ("target-size", ".opblock-summary .copy-to-clipboard button"): "the operation's copy "
    "button is hidden but for a sliver until hovered (swagger-api/swagger-ui#9568)",
}
# What each page, as it opens, is expected to show of UPSTREAM.
AS_IT_OPENS: dict[str, set[Upstream]] = {"docs": set(), "redoc": set()}
# Seen after "Try it out", and not every time: the pointer has just left the operation's summary,
# whose copy button may still be shrinking back. Let through wherever it shows, never reported
# as fixed when it does not.
COPY_BUTTON: Upstream = ("target-size", ".opblock-summary .copy-to-clipboard button")
TRY_IT_OUT: set[Upstream] = {("label", "textarea")}
AUTHORIZE_DIALOG: set[Upstream] = {("label", "textarea"), ("button-name", ".close-modal")}
SOMETIMES: set[Upstream] = {COPY_BUTTON}

# For each failing element (axe's selector for it) and each expected upstream entry, whether the
# element matches the entry's selector.
MATCHES = """([targets, selectors]) => targets.map(target => {
    const element = document.querySelector(target);
    return selectors.map(selector => element !== null && element.matches(selector));
})"""


class UpstreamFixed(UserWarning):
    """A violation listed in UPSTREAM that axe no longer finds: drop it from the list."""


# Reported in the summary, not failed: moderate findings in Swagger UI's and ReDoc's own markup,
# and upstream fixes worth noticing.
pytestmark = pytest.mark.filterwarnings(
    "default::tests.browser.test_accessibility.MinorAccessibilityIssue",
    "default::tests.browser.test_final_app_accessibility.UpstreamFixed",
)


def failing(page: Page, where: str, expected_upstream: set[Upstream]) -> list[Any]:
    """The serious and critical violations that are not the expected upstream ones."""
    found = run_axe(page)
    moderate = [v for v in found if v["impact"] not in FAILING_IMPACTS]
    if moderate:
        warnings.warn(f"{where}:\n{describe(moderate)}", MinorAccessibilityIssue, stacklevel=2)
    expected = sorted(expected_upstream | SOMETIMES)
    serious = [v for v in found if v["impact"] in FAILING_IMPACTS]
    targets = [node["target"][-1] for violation in serious for node in violation["nodes"]]
    matches = iter(page.evaluate(MATCHES, [targets, [selector for _, selector in expected]]))
    seen_upstream: set[Upstream] = set()
    failures = []
    for violation in serious:
        nodes = []
        for node in violation["nodes"]:
            known = {
                entry
                for entry, matched in zip(expected, next(matches), strict=True)
                if matched and entry[0] == violation["id"]
            }
            seen_upstream |= known
            if not known:
                nodes.append(node)
        if nodes:
            failures.append({**violation, "nodes": nodes})
    for rule, element in sorted(expected_upstream - SOMETIMES - seen_upstream):
        warnings.warn(f"{where}: {rule} on {element} no longer found", UpstreamFixed, stacklevel=2)
    return failures


@pytest.mark.parametrize("scheme", COLOR_SCHEMES)
@pytest.mark.parametrize("path", ["docs", "redoc"])
def test_api_page_as_it_opens_has_no_serious_violation(
    offline_page: OfflinePage, final_app: str, path: str, scheme: ColorScheme
) -> None:
    page = offline_page.page
    page.emulate_media(color_scheme=scheme)
    if path == "docs":
        open_swagger_ui(offline_page, final_app)
    else:
        open_redoc(offline_page, final_app)
    where = f"/{path} ({scheme})"
    found = failing(page, where, expected_upstream=AS_IT_OPENS[path])

    assert page.locator("html").get_attribute("lang") == "en"
    assert found == [], f"{where}:\n{describe(found)}"


def test_swagger_ui_in_use_has_only_its_known_upstream_violations(
    offline_page: OfflinePage, final_app: str
) -> None:
    page = open_swagger_ui(offline_page, final_app)
    operation = page.locator(CREATE_TICKET)
    operation.locator(".opblock-summary").click()
    operation.locator("button.try-out__btn").click()
    operation.locator("textarea.body-param__text").wait_for()
    opened = failing(page, "/docs, Try it out", expected_upstream=TRY_IT_OUT)

    page.locator(".scheme-container button.authorize").click()
    page.locator(".modal-ux").wait_for()
    in_dialog = failing(page, "/docs, Authorize dialog", expected_upstream=AUTHORIZE_DIALOG)

    assert opened == [], f"Try it out:\n{describe(opened)}"
    assert in_dialog == [], f"Authorize dialog:\n{describe(in_dialog)}"
