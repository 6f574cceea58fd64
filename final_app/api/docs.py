"""Swagger UI at /docs and ReDoc at /redoc, from assets the app serves itself; / leads to /docs.

FastAPI's defaults load them from a CDN: without internet, a blank page. The files in
`final_app/static/` come from the npm packages swagger-ui-dist and redoc (see its README).
URLs start with the ASGI root path, as FastAPI's own pages do, so the pages keep working
behind a proxy that serves the app under a prefix (`uvicorn --root-path /repairdesk`).
FastAPI's page shells name no language and no main region, which a screen reader needs, and
Swagger UI's colours are below WCAG AA contrast: both are mended here (axe checks them in
`tests/browser/test_final_app_accessibility.py`, which also reports what remains upstream's).
"""

from __future__ import annotations

import re

from fastapi import APIRouter, Request
from fastapi.openapi.docs import (
    get_redoc_html,
    get_swagger_ui_html,
    get_swagger_ui_oauth2_redirect_html,
)
from fastapi.responses import HTMLResponse, RedirectResponse

router = APIRouter(include_in_schema=False)
OAUTH2_REDIRECT_PATH = "/docs/oauth2-redirect"


def _root(request: Request) -> str:
    return str(request.scope.get("root_path", "")).rstrip("/")


def _accessible(page: HTMLResponse, main: str = "", extra_head: str = "") -> HTMLResponse:
    """The page in English, the element `main` matches inside <main>, `extra_head` added."""
    html = bytes(page.body).decode().replace("<html>", '<html lang="en">', 1)
    if main:  # Swagger UI marks its own main region; ReDoc marks none
        html = re.sub(main, r"<main>\g<0></main>", html, count=1)
    return HTMLResponse(html.replace("</head>", f"{extra_head}</head>", 1))


@router.get("/")
async def home(request: Request) -> RedirectResponse:
    """The address uvicorn prints: send a browser on to the API's pages."""
    return RedirectResponse(_root(request) + "/docs")


@router.get("/docs")
async def swagger_ui(request: Request) -> HTMLResponse:
    root = _root(request)
    page = get_swagger_ui_html(
        openapi_url=root + request.app.openapi_url,
        title=f"{request.app.title} - Swagger UI",
        swagger_js_url=f"{root}/static/swagger-ui-bundle.js",
        swagger_css_url=f"{root}/static/swagger-ui.css",
        swagger_favicon_url=f"{root}/static/favicon.png",
        oauth2_redirect_url=root + OAUTH2_REDIRECT_PATH,
        # Deep links put a link inside each operation's button, which screen readers cannot
        # reach (swagger-api/swagger-ui#9570): the operations are not linked to one by one.
        swagger_ui_parameters={"deepLinking": False},
    )
    contrast = f'<link rel="stylesheet" href="{root}/static/swagger-ui-contrast.css">'
    return _accessible(page, extra_head=contrast)


@router.get(OAUTH2_REDIRECT_PATH)
async def swagger_ui_redirect() -> HTMLResponse:
    return get_swagger_ui_oauth2_redirect_html()


@router.get("/redoc")
async def redoc(request: Request) -> HTMLResponse:
    root = _root(request)
    page = get_redoc_html(
        openapi_url=root + request.app.openapi_url,
        title=f"{request.app.title} - ReDoc",
        redoc_js_url=f"{root}/static/redoc.standalone.js",
        redoc_favicon_url=f"{root}/static/favicon.png",
        with_google_fonts=False,
    )
    return _accessible(page, r"<redoc [^>]*></redoc>")
