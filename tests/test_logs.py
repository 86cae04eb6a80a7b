"""Structured logs: one JSON object per line, secrets masked."""

from __future__ import annotations

import json
import logging

import pytest

from bot.logs import JsonFormatter, configure, mask
from bot.settings import SettingsError, load_settings


def test_json_lines_with_extras_and_no_secrets():
    formatter = JsonFormatter(("s3cret-signing",))
    record = logging.makeLogRecord(
        {
            "name": "bot",
            "levelname": "INFO",
            "levelno": 20,
            "msg": "token xoxb-123-abc and s3cret-signing",
            "request_id": "r1",
        }
    )
    line = formatter.format(record)
    data = json.loads(line)
    assert data["request_id"] == "r1" and data["level"] == "INFO"
    assert "xoxb-123-abc" not in line and "s3cret-signing" not in line
    assert mask("xapp-1-AAA") == "[secret]"


def test_request_id_is_logged_from_context():
    from bot.logs import REQUEST_ID

    token = REQUEST_ID.set("req-42")
    try:
        line = JsonFormatter().format(logging.makeLogRecord({"msg": "hello", "levelname": "INFO"}))
    finally:
        REQUEST_ID.reset(token)
    assert json.loads(line)["request_id"] == "req-42"


def test_log_level_is_checked_at_start_up_not_when_logging_is_configured():
    with pytest.raises(SettingsError, match="LOG_LEVEL: must be one of DEBUG, INFO"):
        load_settings(log_level="loud")
    root = logging.getLogger()
    handlers, level = root.handlers[:], root.level
    try:
        configure("json", load_settings(log_level="warning").log_level)
        assert root.level == logging.WARNING
    finally:
        root.handlers[:], root.level = handlers, level
