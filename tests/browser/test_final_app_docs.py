"""RepairDesk's /docs and /redoc in Chromium: offline, and usable end to end.

The app runs under uvicorn on 127.0.0.1 against a temporary SQLite database, migrated first
with the same command a deployment runs, and with an admin created from the environment.
"""

from __future__ import annotations

import json
import os
import re
import secrets
import subprocess
import sys
from collections.abc import Iterator
from typing import Any

import pytest
from playwright.sync_api import Locator, Page, expect

from tests.browser.conftest import OfflinePage
from tests.browser.servers import uvicorn_app

ADMIN_EMAIL = "admin@example.com"
ADMIN_PASSWORD = secrets.token_urlsafe(16)
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


@pytest.fixture(scope="session")
def final_app(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    workdir = tmp_path_factory.mktemp("final-app")
    env = {
        "REPAIRDESK_DATABASE_URL": f"sqlite:///{workdir / 'repairdesk.db'}",
        "REPAIRDESK_SECRET_KEY": secrets.token_urlsafe(48),
        "REPAIRDESK_ADMIN_EMAIL": ADMIN_EMAIL,
        "REPAIRDESK_ADMIN_PASSWORD": ADMIN_PASSWORD,
    }
    subprocess.run(
        [sys.executable, "-m", "final_app", "migrate"],
        env={**os.environ, **env},
        check=True,
        capture_output=True,
        timeout=60,
    )
    with uvicorn_app("final_app.main:app", env, workdir / "uvicorn.log") as url:
        yield url


def open_swagger_ui(tab: OfflinePage, final_app: str) -> Page:
    tab.page.goto(final_app + "docs", wait_until="networkidle")
    expect(tab.page.locator(".swagger-ui .info .title")).to_contain_text("RepairDesk")
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
    page = open_swagger_ui(offline_page, final_app)
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
    page = offline_page.page
    page.goto(final_app + "redoc", wait_until="networkidle")

    expect(page.get_by_role("heading", name=re.compile(r"^RepairDesk"))).to_be_visible()
    expect(page.get_by_role("heading", name="Create Ticket")).to_be_visible()
    offline_page.screenshot("final-app-redoc")


def test_redoc_asks_nothing_from_outside(offline_page: OfflinePage, final_app: str) -> None:
    page = offline_page.page
    page.goto(final_app + "redoc", wait_until="networkidle")
    expect(page.get_by_role("heading", name="Create Ticket")).to_be_visible()

    assert offline_page.requests_leaving_localhost() == []
