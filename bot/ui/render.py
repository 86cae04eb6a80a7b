"""Message wording: Jinja2 templates under templates/messages, with mrkdwn escaping."""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Any

from jinja2 import ChoiceLoader, Environment, FileSystemLoader, StrictUndefined

import templates
from templates.shared import shared_loader

MESSAGES_DIR = Path(templates.__file__).parent / "messages"


def escape_mrkdwn(value: object) -> str:
    """Escape user text for Slack mrkdwn: &, < and > (so nobody is mentioned through us)."""
    text = "" if value is None else str(value)
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


@cache
def environment() -> Environment:
    """The template environment (built once, read-only afterwards)."""
    env = Environment(
        # "shared/…" is the wording the Word document shows too (templates/shared).
        loader=ChoiceLoader([shared_loader(), FileSystemLoader(MESSAGES_DIR)]),
        undefined=StrictUndefined,
        autoescape=False,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=False,
    )
    # Every value interpolated into a message is escaped unless marked with `|safe_mrkdwn`.
    env.finalize = _finalize
    env.filters["safe_mrkdwn"] = _Safe
    env.filters["mention"] = lambda user_id: _Safe(f"<@{_id(user_id)}>")
    env.filters["channel"] = lambda channel_id: _Safe(f"<#{_id(channel_id)}>")
    return env


class _Safe(str):
    """A string the template author vouches for (already mrkdwn)."""


def _finalize(value: Any) -> Any:
    if isinstance(value, _Safe):
        return value
    if isinstance(value, int | float) and not isinstance(value, bool):
        return value
    return escape_mrkdwn(value)


def _id(value: object) -> str:
    text = str(value)
    return text if text.isalnum() else escape_mrkdwn(text)


def render(template: str, /, **context: Any) -> str:
    """Render templates/messages/<name> with user values escaped for mrkdwn."""
    return environment().get_template(template).render(**context).strip()
