"""RepairDesk's /docs and /redoc in Chromium: offline, and usable end to end.

The app runs under uvicorn on 127.0.0.1 against a temporary SQLite database, migrated first
with the same command a deployment runs, and with an admin created from the environment (the
`final_app` fixture, in conftest.py). A page is ready when what a reader looks for is shown;
the two tests that check nothing is fetched from outside also wait for the network to go quiet,
so that a late request would be seen.
"""

from __future__ import annotations

import json
import re
from typing import Any, Literal

from playwright.sync_api import Locator, Page, expect

from tests.browser.conftest import ADMIN_EMAIL, ADMIN_PASSWORD, OfflinePage

CREATE_TICKET = "#operations-tickets-create_ticket"
NEW_TICKET = {
    "customer_email": "grace@example.com",
    "device_model": "Pixel 8",
    "estimated_cost": "89.50",
}
BAD_TICKET = {
    "customer_email": "grace@example.com",
    "device_model": "Pixel 8",
    "estimated_cost": "-5",
}


def open_swagger_ui(
    tab: OfflinePage, final_app: str, wait_until: Literal["load", "networkidle"] = "load"
) -> Page:
    """/docs, once Swagger UI has read the OpenAPI document and drawn the API from it."""
    tab.page.goto(final_app + "docs", wait_until=wait_until)
    expect(tab.page.locator(".swagger-ui .info .title")).to_contain_text("RepairDesk")
    return tab.page


def open_redoc(
    tab: OfflinePage, final_app: str, wait_until: Literal["load", "networkidle"] = "load"
) -> Page:
    """/redoc, once ReDoc has drawn the API's operations."""
    tab.page.goto(final_app + "redoc", wait_until=wait_until)
    expect(tab.page.get_by_role("heading", name="Create Ticket")).to_be_visible()
    return tab.page


def authorize(page: Page) -> Locator:
    """Log in through the Authorize dialog (OAuth2 password flow); returns the open dialog."""
    page.locator(".scheme-container button.authorize").click()
    dialog = page.locator(".modal-ux")
    dialog.locator("#oauth_username").fill(ADMIN_EMAIL)
    dialog.locator("#oauth_password").fill(ADMIN_PASSWORD)
    dialog.locator(".auth-btn-wrapper button.authorize").click()
    return dialog


def execute_create_ticket(page: Page, body: dict[str, Any]) -> Locator:
    """Try it out on POST /api/v1/tickets with `body`; returns the live response row."""
    operation = page.locator(CREATE_TICKET)
    operation.locator(".opblock-summary").click()
    operation.locator("button.try-out__btn").click()
    operation.locator("textarea.body-param__text").fill(json.dumps(body, indent=2))
    operation.locator("button.execute").click()
    return operation.locator(".live-responses-table .response")


def stored_ticket(page: Page, final_app: str, ticket_id: int) -> dict[str, Any]:
    """The ticket as the API reads it back, outside Swagger UI, with a token of its own."""
    login = page.request.post(
        final_app + "api/v1/auth/token", form={"username": ADMIN_EMAIL, "password": ADMIN_PASSWORD}
    )
    token = login.json()["access_token"]
    ticket = page.request.get(
        f"{final_app}api/v1/tickets/{ticket_id}", headers={"Authorization": f"Bearer {token}"}
    ).json()
    return {key: ticket[key] for key in (*NEW_TICKET, "status")}


def test_swagger_ui_renders_with_nothing_from_outside(
    offline_page: OfflinePage, final_app: str
) -> None:
    page = open_swagger_ui(offline_page, final_app, wait_until="networkidle")
    offline_page.screenshot("final-app-swagger-ui")

    expect(page.locator(CREATE_TICKET)).to_be_visible()
    assert offline_page.requests_leaving_localhost() == []
    assert offline_page.errors == []


def test_authorize_dialog_logs_the_admin_in(offline_page: OfflinePage, final_app: str) -> None:
    dialog = authorize(open_swagger_ui(offline_page, final_app))

    expect(dialog.get_by_text("Authorized", exact=True)).to_be_visible()
    expect(dialog.get_by_role("button", name="Remove authorization")).to_be_visible()
    offline_page.screenshot("final-app-swagger-ui-authorized")


def test_try_it_out_creates_a_ticket_and_shows_201(
    offline_page: OfflinePage, final_app: str
) -> None:
    page = open_swagger_ui(offline_page, final_app)
    authorize(page).locator("button.btn-done").click()
    response = execute_create_ticket(page, NEW_TICKET)

    expect(response.locator(".response-col_status")).to_have_text(re.compile(r"^\s*201"))
    body = response.locator(".response-col_description .microlight").first
    expect(body).to_contain_text('"status": "received"')
    offline_page.screenshot("final-app-swagger-ui-201")
    assert stored_ticket(page, final_app, json.loads(body.inner_text())["id"]) == {
        **NEW_TICKET,
        "status": "received",
    }


def test_try_it_out_with_a_bad_payload_shows_the_422(
    offline_page: OfflinePage, final_app: str
) -> None:
    page = open_swagger_ui(offline_page, final_app)
    authorize(page).locator("button.btn-done").click()
    response = execute_create_ticket(page, BAD_TICKET)

    expect(response.locator(".response-col_status")).to_have_text(re.compile(r"^\s*422"))
    expect(response.locator(".response-col_description")).to_contain_text("estimated_cost")
    offline_page.screenshot("final-app-swagger-ui-422")


def test_redoc_renders_offline(offline_page: OfflinePage, final_app: str) -> None:
    page = open_redoc(offline_page, final_app)

    expect(page.get_by_role("heading", name=re.compile(r"^RepairDesk"))).to_be_visible()
    offline_page.screenshot("final-app-redoc")


def test_redoc_asks_nothing_from_outside(offline_page: OfflinePage, final_app: str) -> None:
    open_redoc(offline_page, final_app, wait_until="networkidle")

    assert offline_page.requests_leaving_localhost() == []
