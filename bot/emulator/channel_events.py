"""Builders for the ``message`` events Slack sends about what people write in a channel.

A message or a thread reply posted, edited (``message_changed``) and deleted
(``message_deleted``), shaped as the Events API delivers them to an app subscribed to
``message.channels`` (public channels, ids ``C…``) and ``message.groups`` (private, ``G…``).
Send them with :meth:`bot.emulator.sender.SlackSender.event`.
"""

from __future__ import annotations

import threading
import time
from typing import Any

from bot.emulator.state import BOT_ID, TEAM_ID

Json = dict[str, Any]


class _Clock:
    """Message ts values in microseconds, each later than the one before."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._last_us = 0

    def next(self) -> str:
        with self._lock:
            self._last_us = max(int(time.time() * 1_000_000), self._last_us + 1)
            seconds, micros = divmod(self._last_us, 1_000_000)
        return f"{seconds}.{micros:06d}"


_CLOCK = _Clock()


def new_ts() -> str:
    """A fresh message ts (``1700000000.000100``), later than every one given before."""
    return _CLOCK.next()


def channel_type(channel_id: str) -> str:
    """``channel`` for a public channel, ``group`` for a private one, ``im`` for a DM."""
    if channel_id.startswith("G"):
        return "group"
    return "im" if channel_id.startswith("D") else "channel"


def message(
    user_id: str, text: str, *, ts: str | None = None, thread_ts: str | None = None
) -> Json:
    """A person's message as Slack stores it (a reply in a thread when ``thread_ts`` is set)."""
    body: Json = {
        "type": "message",
        "user": user_id,
        "text": text,
        "ts": ts or new_ts(),
        "team": TEAM_ID,
    }
    if thread_ts is not None:
        body["thread_ts"] = thread_ts
    return body


def bot_message(text: str, *, bot_id: str = BOT_ID, thread_ts: str | None = None) -> Json:
    """A message posted by a bot (by this app with the default ``bot_id``)."""
    body: Json = {
        "type": "message",
        "subtype": "bot_message",
        "bot_id": bot_id,
        "text": text,
        "ts": new_ts(),
    }
    if thread_ts is not None:
        body["thread_ts"] = thread_ts
    return body


def posted(channel_id: str, msg: Json) -> Json:
    """The event of ``msg`` being posted in ``channel_id``."""
    return {
        **msg,
        "channel": channel_id,
        "event_ts": msg["ts"],
        "channel_type": channel_type(channel_id),
    }


def edited(channel_id: str, msg: Json, text: str, *, ts: str | None = None) -> Json:
    """The ``message_changed`` event of ``msg``'s text becoming ``text``."""
    at = ts or new_ts()
    now = {**msg, "text": text, "edited": {"user": msg.get("user"), "ts": at}}
    return {
        "type": "message",
        "subtype": "message_changed",
        "hidden": True,
        "channel": channel_id,
        "ts": at,
        "event_ts": at,
        "message": now,
        "previous_message": dict(msg),
        "channel_type": channel_type(channel_id),
    }


def deleted(channel_id: str, msg: Json, *, ts: str | None = None) -> Json:
    """The ``message_deleted`` event of ``msg``."""
    at = ts or new_ts()
    return {
        "type": "message",
        "subtype": "message_deleted",
        "hidden": True,
        "channel": channel_id,
        "ts": at,
        "deleted_ts": msg["ts"],
        "event_ts": at,
        "previous_message": dict(msg),
        "channel_type": channel_type(channel_id),
    }
