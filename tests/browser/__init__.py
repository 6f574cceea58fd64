"""The docs site and the final app's /docs and /redoc, read in a real browser: Chromium, offline."""
