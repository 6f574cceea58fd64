"""Errors the services raise; the app's `errors.py` turns them into 401, 403, 404 and 409."""


class NotAuthenticatedError(Exception):
    """The caller's account no longer lets them in: deleted or deactivated (HTTP 401)."""


class PermissionDeniedError(Exception):
    """The caller is known but their role does not allow this (HTTP 403)."""


class NotFoundError(Exception):
    """The thing asked for does not exist (HTTP 404)."""


class ConflictError(Exception):
    """The request contradicts the current state (HTTP 409)."""
