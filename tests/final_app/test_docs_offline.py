"""/docs and /redoc work offline: every asset they load is served by the app itself.

/ (the address uvicorn prints) leads to /docs.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from final_app.config import Settings
from final_app.main import STATIC_DIR, create_app

ASSET = re.compile(r'(?:src|href)="([^"]+)"')
MAX_ASSET_BYTES = 2 * 1024 * 1024


@pytest.fixture
def app(tmp_path: Path) -> FastAPI:
    """The pages need no database: one app on an unused SQLite file, not one per backend."""
    return create_app(Settings(database_url=f"sqlite:///{tmp_path / 'unused.db'}"))


def test_the_root_redirects_to_swagger_ui(client: TestClient) -> None:
    response = client.get("/", follow_redirects=False)
    assert response.is_redirect
    assert response.headers["location"] == "/docs"
    assert client.get("/").url.path == "/docs"


@pytest.mark.parametrize("page", ["/docs", "/redoc"])
def test_doc_pages_load_only_local_assets(client: TestClient, page: str) -> None:
    html = client.get(page).text
    assets = ASSET.findall(html)
    assert assets
    assert all(asset.startswith("/static/") for asset in assets), assets
    assert "https://" not in html


@pytest.mark.parametrize("page", ["/docs", "/redoc"])
def test_every_asset_of_a_doc_page_is_served(client: TestClient, page: str) -> None:
    for asset in ASSET.findall(client.get(page).text):
        assert client.get(asset).status_code == 200, asset


def test_swagger_ui_knows_the_oauth2_redirect(client: TestClient) -> None:
    assert "/docs/oauth2-redirect" in client.get("/docs").text
    assert client.get("/docs/oauth2-redirect").status_code == 200


def test_openapi_declares_the_password_flow(client: TestClient) -> None:
    schemes = client.get("/openapi.json").json()["components"]["securitySchemes"]
    assert schemes["OAuth2PasswordBearer"]["flows"]["password"]["tokenUrl"] == (
        "/api/v1/auth/token"
    )


@pytest.mark.parametrize("path", sorted(STATIC_DIR.iterdir()), ids=lambda path: path.name)
def test_vendored_files_stay_under_2_mib(path: Path) -> None:
    assert path.stat().st_size < MAX_ASSET_BYTES


def test_doc_pages_follow_the_root_path_of_a_proxy(app: FastAPI) -> None:
    with TestClient(app, root_path="/repairdesk") as client:
        html = client.get("/docs").text
    assert "/repairdesk/static/swagger-ui-bundle.js" in html
    assert "'/repairdesk/openapi.json'" in html


def test_the_root_redirect_follows_the_root_path_of_a_proxy(app: FastAPI) -> None:
    with TestClient(app, root_path="/repairdesk") as client:
        response = client.get("/", follow_redirects=False)
    assert response.headers["location"] == "/repairdesk/docs"
