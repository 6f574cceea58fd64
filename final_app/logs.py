"""Logs: one line per event on stderr, as text for people or as JSON for a log pipeline.

With several replicas, their lines end up in one place (`docker compose logs`, Loki, a cloud's
log service), and "which request was that" is a search: every line logged while a request runs
names it (`request_id`, set by `RequestIdMiddleware`). `REPAIRDESK_LOG_FORMAT=json` makes each
line one JSON object, uvicorn's start-up and access lines included, so nothing needs parsing.
"""

from __future__ import annotations

import logging
from typing import Literal

from pythonjsonlogger.core import RESERVED_ATTRS
from pythonjsonlogger.json import JsonFormatter

from .middleware import REQUEST_ID_LOG_FILTER

LogFormat = Literal["text", "json"]
TEXT_FORMAT = "%(levelname)s:     %(name)s: [%(request_id)s] %(message)s"
# The loggers uvicorn writes through, when it configured them (not under a test client).
UVICORN_LOGGERS = ("uvicorn", "uvicorn.access")

logger = logging.getLogger(__package__)


class AccessFields(logging.Filter):
    """Gives uvicorn's access lines their parts as fields: `method`, `path`, `status_code`."""

    def filter(self, record: logging.LogRecord) -> bool:
        # uvicorn's access message has five arguments: client, method, path, version, status.
        if (
            record.name == "uvicorn.access"
            and isinstance(record.args, tuple)
            and len(record.args) == 5
        ):
            record.client_addr, record.method, record.path, _, record.status_code = record.args
        return True


ACCESS_FIELDS = AccessFields()


def json_formatter() -> JsonFormatter:
    return JsonFormatter(
        ["levelname", "name", "message"],  # and every extra field, such as request_id
        rename_fields={"levelname": "level", "name": "logger"},
        timestamp="time",  # ISO 8601, in UTC
        reserved_attrs=[*RESERVED_ATTRS, "color_message"],  # uvicorn's ANSI-coloured copy
    )


def configure_logging(level: str, log_format: LogFormat = "text") -> None:
    """Log the app's records to stderr at `level`; in JSON, uvicorn's records too."""
    formatter = json_formatter() if log_format == "json" else logging.Formatter(TEXT_FORMAT)
    if not logger.handlers:  # once per process, however many apps it builds
        stderr = logging.StreamHandler()
        # The filter gives every record the id of the request it was logged for ("-" outside).
        stderr.addFilter(REQUEST_ID_LOG_FILTER)
        logger.addHandler(stderr)
    for handler in logger.handlers:
        handler.setFormatter(formatter)
    logger.setLevel(level)
    if log_format == "json":
        # uvicorn configured its loggers before it imported the app: restyle its handlers.
        for name in UVICORN_LOGGERS:
            for uvicorn_handler in logging.getLogger(name).handlers:
                uvicorn_handler.addFilter(REQUEST_ID_LOG_FILTER)
                uvicorn_handler.addFilter(ACCESS_FIELDS)
                uvicorn_handler.setFormatter(formatter)
