"""Errors the services raise; the app turns them into 404 and 409 responses."""


class NotFoundError(Exception):
    """The thing asked for does not exist (HTTP 404)."""


class ConflictError(Exception):
    """The request contradicts the current state (HTTP 409)."""
