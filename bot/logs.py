"""Logging: one JSON object per line in production, readable text in development.

Secrets (tokens, signing secret) are masked in every record.
"""

from __future__ import annotations

import contextvars
import json
import logging
import re
import sys
from datetime import UTC, datetime
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from bot.settings import Settings

SECRET = re.compile(r"xox[abposr]-[A-Za-z0-9-]+|xapp-[A-Za-z0-9-]+")
REQUEST_ID: contextvars.ContextVar[str | None] = contextvars.ContextVar("request_id", default=None)
STANDARD = set(vars(logging.makeLogRecord({})).keys()) | {"message", "asctime"}


def mask(text: str, secrets: tuple[str, ...] = ()) -> str:
    """Replace Slack tokens and the given secrets with a mask."""
    text = SECRET.sub("[secret]", text)
    for secret in secrets:
        if secret:
            text = text.replace(secret, "[secret]")
    return text


class JsonFormatter(logging.Formatter):
    """Format a record as one JSON line, extras included, secrets masked."""

    def __init__(self, secrets: tuple[str, ...] = ()) -> None:
        super().__init__()
        self.secrets = secrets

    def format(self, record: logging.LogRecord) -> str:
        data = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        request_id = REQUEST_ID.get()
        if request_id:
            data["request_id"] = request_id
        for key, value in vars(record).items():
            if key not in STANDARD and not key.startswith("_"):
                data[key] = value if isinstance(value, int | float | bool) else str(value)
        if record.exc_info:
            data["exception"] = self.formatException(record.exc_info)
        return mask(json.dumps(data, ensure_ascii=False), self.secrets)


class TextFormatter(logging.Formatter):
    """Plain text, secrets masked."""

    def __init__(self, secrets: tuple[str, ...] = ()) -> None:
        super().__init__("%(asctime)s %(levelname)s %(name)s: %(message)s")
        self.secrets = secrets

    def format(self, record: logging.LogRecord) -> str:
        return mask(super().format(record), self.secrets)


def formatter(fmt: str, secrets: tuple[str, ...] = ()) -> logging.Formatter:
    """The formatter for a LOG_FORMAT value."""
    return JsonFormatter(secrets) if fmt == "json" else TextFormatter(secrets)


def configure(fmt: str, level: str, secrets: tuple[str, ...] = ()) -> logging.Formatter:
    """Install the formatter on the root logger; return it for other handlers to share."""
    chosen = formatter(fmt, secrets)
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(chosen)
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level.upper())
    return chosen


def configure_from(settings: Settings) -> logging.Formatter:
    """Set up logging as the settings ask, masking every secret they hold."""
    secrets = (
        settings.slack_signing_secret or "",
        settings.slack_bot_token or "",
        settings.slack_app_token or "",
    )
    return configure(settings.log_format, settings.log_level, secrets)
