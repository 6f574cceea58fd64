"""Headless Chromium for the browser tests: Debian's build, driven by Playwright, kept offline.

Playwright never downloads a browser here: it launches the system's `chromium`, with the flags
that stop Chromium from calling home. Every page a test opens records the requests it makes
and the errors it logs, and any request that would leave 127.0.0.1 is recorded, then refused,
as if the machine had no network.
"""

from __future__ import annotations

import os
import re
import secrets
import shutil
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass, field
from importlib.util import find_spec
from pathlib import Path
from typing import TYPE_CHECKING, Literal
from urllib.parse import urlsplit

import pytest

from tests.browser.servers import static_site, uvicorn_app
from tests.support.requirements import require

if TYPE_CHECKING:  # imported for real only where Playwright is installed (see below)
    from playwright.sync_api import Browser, Page, Playwright, Route

    from tests.browser.visits import Visits

ROOT = Path(__file__).parents[2]
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMIUM_FLAGS = [
    "--headless",
    "--no-sandbox",  # containers and CI runners have no user namespaces for the sandbox
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
# Where the session leaves its screenshots (git-ignored, like everything under .nox/).
SCREENSHOTS = Path(os.environ.get("BROWSER_SCREENSHOTS", ROOT / ".nox" / "browser-screenshots"))
LOCAL_SCHEMES = {"data", "blob", "about"}
# What a reader's system may ask for (prefers-color-scheme): pages are checked under both.
ColorScheme = Literal["light", "dark"]
COLOR_SCHEMES: tuple[ColorScheme, ...] = ("light", "dark")


def is_local(url: str) -> bool:
    """True for what never touches the network: 127.0.0.1 itself and inline data."""
    parts = urlsplit(url)
    return parts.scheme in LOCAL_SCHEMES or parts.hostname == "127.0.0.1"


# What is_local() refuses, as a pattern Playwright matches in the browser's driver: the pages'
# own requests (hundreds a page) are let through there, and only the others reach `offline`.
NOT_LOCAL = re.compile(
    r"^(?!(?:data|blob|about):)(?![a-z][a-z0-9+.-]*://(?:[^/?#@]*@)?127\.0\.0\.1(?:[:/?#]|$))",
    re.IGNORECASE,
)


@dataclass
class OfflinePage:
    """A browser tab and what it did: every request it made and every error it logged."""

    page: Page
    requests: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)

    def requests_leaving_localhost(self) -> list[str]:
        return [url for url in self.requests if not is_local(url)]

    def forget(self) -> None:
        """Start a new record, for the next page opened in this tab."""
        self.requests.clear()
        self.errors.clear()

    def screenshot(self, name: str) -> Path:
        """A full-page screenshot, for people to look at; tests assert on content, not pixels."""
        path = SCREENSHOTS / f"{name}.png"
        self.page.screenshot(path=path, full_page=True)
        return path


PLAYWRIGHT_INSTALLED = find_spec("playwright") is not None
NO_PLAYWRIGHT = (
    "Playwright is not installed: `nox -s browser` installs it (the `browser` dependency group)."
)


class WithoutPlaywright(pytest.Module):
    """A test module here, not imported (it imports Playwright): skipped, or failed on CI."""

    def collect(self) -> list[pytest.Item]:
        require(False, NO_PLAYWRIGHT)
        return []


def pytest_pycollect_makemodule(
    module_path: Path, parent: pytest.Collector
) -> pytest.Module | None:
    # A bare `pytest` in an environment without the `browser` group must not die importing
    # these modules: each is reported skipped, with the reason.
    if PLAYWRIGHT_INSTALLED:
        return None  # pytest's own collector
    return WithoutPlaywright.from_parent(parent, path=module_path)


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    """Say where the screenshots are: they are for people to look at."""
    shots = sorted(SCREENSHOTS.glob("*.png"))
    if shots:
        terminalreporter.write_line(f"Full-page screenshots ({len(shots)}): {SCREENSHOTS}")


@pytest.fixture(scope="session")
def playwright() -> Iterator[Playwright]:
    require(
        Path(CHROMIUM).exists(),
        "Chromium is not installed: `sudo apt-get install chromium` (Debian/Ubuntu).",
    )
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        yield playwright


@pytest.fixture(scope="session")
def browser(playwright: Playwright) -> Iterator[Browser]:
    browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_FLAGS)
    yield browser
    browser.close()


@pytest.fixture(scope="session", autouse=True)
def fresh_screenshots() -> None:
    """Start each run with an empty screenshot folder, so no picture is left from a past run."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    for old in SCREENSHOTS.glob("*.png"):
        old.unlink()


def open_tab(browser: Browser, scheme: ColorScheme) -> OfflinePage:
    """A tab of its own (a browser context: no cookies or storage shared), 1280 x 900, offline,
    in the colour scheme a reader's system asks for."""
    context = browser.new_context(
        viewport={"width": 1280, "height": 900}, color_scheme=scheme, locale="en-US"
    )
    context.set_default_timeout(15_000)
    tab = OfflinePage(context.new_page())
    # Context-wide, so requests from web workers (the docs' search) are recorded too.
    context.on("request", lambda request: tab.requests.append(request.url))
    tab.page.on("pageerror", lambda error: tab.errors.append(f"uncaught: {error}"))
    tab.page.on(
        "console",
        lambda message: (
            tab.errors.append(f"console: {message.text} ({message.location})")
            if message.type == "error"
            else None
        ),
    )

    def offline(route: Route) -> None:
        if is_local(route.request.url):
            route.continue_()
        else:
            route.abort("internetdisconnected")

    context.route(NOT_LOCAL, offline)
    return tab


@pytest.fixture
def offline_page(browser: Browser) -> Iterator[OfflinePage]:
    """A fresh tab for a test that clicks, types or changes the page."""
    tab = open_tab(browser, "light")
    yield tab
    tab.page.context.close()


# --- the docs site ----------------------------------------------------------------------------


@pytest.fixture(scope="session")
def site() -> Iterator[str]:
    """The built site (`nox -s browser` builds it first), served on 127.0.0.1."""
    from tests.browser.visits import SITE

    if not (SITE / "index.html").exists():
        pytest.fail(
            f"No built site in {SITE}: run `nox -s browser`, which builds it, or "
            f"`python -m docsgen && mkdocs build --strict --site-dir {SITE}`."
        )
    with static_site(SITE) as url:
        yield url


@pytest.fixture(scope="session")
def visits(browser: Browser, site: str) -> Iterator[Visits]:
    """Every page of the site opened once in each colour scheme (tests/browser/visits.py)."""
    from tests.browser.visits import Visits

    tabs = {scheme: open_tab(browser, scheme) for scheme in COLOR_SCHEMES}
    yield Visits(site, tabs)
    for tab in tabs.values():
        tab.page.context.close()


# --- the final app ----------------------------------------------------------------------------

ADMIN_EMAIL = "admin@example.com"
ADMIN_PASSWORD = secrets.token_urlsafe(16)


@pytest.fixture(scope="session")
def final_app(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """RepairDesk under uvicorn on 127.0.0.1, on a temporary SQLite database migrated first with
    the command a deployment runs, with an admin created from the environment. One for the
    session: every test module that drives /docs or /redoc shares it."""
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
