"""Lesson 11's log formats, kept by the final app: text by default, one JSON object per line.

`REPAIRDESK_LOG_FORMAT=json` is for a log pipeline: every line, the app's and uvicorn's (its
start-up and access lines too), parses as JSON and names the request it was written for.
"""

from __future__ import annotations

import json
import logging
from importlib import import_module
from pathlib import Path

import httpx2
import pytest
from pydantic import ValidationError

from benchmarks import harness


def test_text_is_the_default_and_json_is_the_alternative(app_package: str) -> None:
    settings_type = import_module(f"{app_package}.config").Settings
    assert settings_type().log_format == "text"
    assert settings_type(log_format="json").log_format == "json"
    with pytest.raises(ValidationError, match="log_format"):
        settings_type(log_format="xml")


def test_a_json_record_names_its_level_logger_time_and_request(app_package: str) -> None:
    logs = import_module(f"{app_package}.logs")
    request_id = import_module(f"{app_package}.middleware").request_id
    record = logging.LogRecord(
        "repairdesk.test", logging.WARNING, __file__, 1, "ticket %s moved", (7,), None
    )
    token = request_id.set("abc-123")
    try:
        logs.REQUEST_ID_LOG_FILTER.filter(record)
    finally:
        request_id.reset(token)
    line = json.loads(logs.json_formatter().format(record))
    assert line.keys() == {"time", "level", "logger", "message", "request_id"}
    assert (line["level"], line["logger"]) == ("WARNING", "repairdesk.test")
    assert (line["message"], line["request_id"]) == ("ticket 7 moved", "abc-123")
    assert line["time"].endswith("+00:00")


def test_every_line_of_a_real_server_is_json_and_names_its_request(
    tmp_path: Path, app_package: str
) -> None:
    env = {
        "REPAIRDESK_LOG_FORMAT": "json",
        # Not migrated: the readiness check then logs a warning, inside the request.
        "REPAIRDESK_DATABASE_URL": f"sqlite:///{tmp_path}/empty.db",
        "REPAIRDESK_SECRET_KEY": "test-secret-key-that-is-long-enough-for-hs256",
    }
    with harness.serve(
        f"{app_package}.main:app", env=env, ready_path="/health/live", access_log=True
    ) as server:
        headers = {"X-Request-ID": "trace-me-1"}
        status = httpx2.get(server.url("/health/ready"), headers=headers, timeout=10).status_code
        harness.stop(server.process)  # its shutdown lines too
        log = server.log()
    lines = [json.loads(line) for line in log.splitlines() if line.strip()]
    assert status == 503
    assert any(line["logger"] == "uvicorn.error" for line in lines)  # start-up, shutdown
    ours = [line for line in lines if line.get("request_id") == "trace-me-1"]
    by_logger = {line["logger"]: line for line in ours}
    assert by_logger[f"{app_package}.api.health"]["message"].startswith(
        "readiness check failed: The database is not migrated"
    )
    access = by_logger["uvicorn.access"]
    assert (access["method"], access["path"], access["status_code"]) == (
        "GET",
        "/health/ready",
        503,
    )
