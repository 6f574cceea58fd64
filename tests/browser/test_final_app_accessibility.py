"""RepairDesk's /docs and /redoc through axe-core: what is ours is fixed, what is not is named.

The page shells are FastAPI's and ours (a language, a main region, Swagger UI's colours
darkened to AA in `final_app/static/swagger-ui-contrast.css`, deep links off so no link sits
inside a button); the widgets are Swagger UI's and ReDoc's. Each page is checked as a reader
meets it, in both colour schemes, and Swagger UI also as it is used: an operation opened for
"Try it out", and the Authorize dialog.

A critical or serious violation fails, unless it is one of Swagger UI's own listed in
UPSTREAM with its upstream report: a new one fails, and one that an upgrade fixed is reported.
Moderate ones (heading levels and regions inside the widgets) are reported as warnings.
"""

from __future__ import annotations

import warnings
from typing import Any

import pytest
from playwright.sync_api import Page

from tests.browser.conftest import COLOR_SCHEMES, ColorScheme, OfflinePage
from tests.browser.test_accessibility import AXE, AXE_OPTIONS, MinorAccessibilityIssue, describe
from tests.browser.test_final_app_docs import CREATE_TICKET, open_swagger_ui

# The running app: imported so pytest finds the fixture (uvicorn on a temporary SQLite file).
from tests.browser.test_final_app_docs import final_app as final_app

FAILING_IMPACTS = {"critical", "serious"}
# (rule, element) → why it stays: markup inside Swagger UI's bundle, not in the page we serve.
UPSTREAM = {
    ("label", "textarea"): "the request body editor has no label (swagger-api/swagger-ui#7350)",
    ("button-name", ".close-modal"): "the Authorize dialog's close button has no name "
    "(swagger-api/swagger-ui#10706)",
}


class UpstreamFixed(UserWarning):
    """A violation listed in UPSTREAM that axe no longer finds: drop it from the list."""


# Reported in the summary, not failed: moderate findings in Swagger UI's and ReDoc's own markup,
# and upstream fixes worth noticing.
pytestmark = pytest.mark.filterwarnings(
    "default::tests.browser.test_accessibility.MinorAccessibilityIssue",
    "default::tests.browser.test_final_app_accessibility.UpstreamFixed",
)


def failing(page: Page, where: str, expected_upstream: set[tuple[str, str]]) -> list[Any]:
    """The serious and critical violations that are not the expected upstream ones."""
    found = AXE.run(page, options=AXE_OPTIONS).response["violations"]
    moderate = [v for v in found if v["impact"] not in FAILING_IMPACTS]
    if moderate:
        warnings.warn(f"{where}:\n{describe(moderate)}", MinorAccessibilityIssue, stacklevel=2)
    seen_upstream: set[tuple[str, str]] = set()
    failures = []
    for violation in (v for v in found if v["impact"] in FAILING_IMPACTS):
        nodes = []
        for node in violation["nodes"]:
            key = (violation["id"], node["target"][-1])
            if key in expected_upstream:
                seen_upstream.add(key)
            else:
                nodes.append(node)
        if nodes:
            failures.append({**violation, "nodes": nodes})
    for rule, element in expected_upstream - seen_upstream:
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
        page.goto(final_app + "redoc", wait_until="networkidle")
        page.get_by_role("heading", name="Create Ticket").wait_for()
    where = f"/{path} ({scheme})"
    found = failing(page, where, expected_upstream=set())

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
    opened = failing(page, "/docs, Try it out", expected_upstream={("label", "textarea")})

    page.locator(".scheme-container button.authorize").click()
    page.locator(".modal-ux").wait_for()
    in_dialog = failing(page, "/docs, Authorize dialog", expected_upstream=set(UPSTREAM))

    assert opened == [], f"Try it out:\n{describe(opened)}"
    assert in_dialog == [], f"Authorize dialog:\n{describe(in_dialog)}"
