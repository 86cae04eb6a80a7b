"""The discussion: people's replies in a card's thread, followed through edits and deletions.

The app hears every message of the channels it is in (`message.channels`,
`message.groups`). Most are not replies to a card, and are dropped without touching the
database: a message outside any thread, a bot's, the app's own. A thread reply costs one
indexed lookup of its card. Retried deliveries never get here twice
(bot.runtime.middleware.DeduplicateEvents).
"""

from __future__ import annotations

import re
from datetime import UTC, datetime
from functools import partial
from typing import Any

from slack_bolt import BoltContext

from bot.delivery.cards import CardUpdates
from bot.slack.parse import ID_MAX, decode_slack_text, text_of
from storage import comments
from storage.comments import Reply

# What a person's reply can be: a plain message, one also sent to the channel, one with files.
REPLY_SUBTYPES = frozenset({None, "thread_broadcast", "file_share"})
TS = re.compile(r"^\d{1,10}\.\d{1,9}$")  # Unix seconds . a sequence


def on_message(event: dict[str, Any], context: BoltContext, *, cards: CardUpdates) -> None:
    """Record a reply to a card's thread, or follow one's edit or deletion; refresh the card."""
    subtype = event.get("subtype")
    if subtype == "message_changed":
        changed = _edited(event, context)
    elif subtype == "message_deleted":
        changed = _deleted(event, context)
    elif subtype in REPLY_SUBTYPES:
        changed = _replied(event, context)
    else:
        return  # joins, topics, bot messages…: not the discussion
    if changed is not None:
        context["followups"].on_commit("card refresh", lambda: cards.refresh(changed))


def register(app: Any, *, cards: CardUpdates) -> None:
    """Register the channel messages listener (the events of message.channels/groups)."""
    app.event("message")(partial(on_message, cards=cards))


def _replied(event: dict[str, Any], context: BoltContext) -> int | None:
    reply = _reply(event, event.get("channel"), context)
    if reply is None:
        return None
    return comments.record_reply(
        context["session"], reply=reply, request_id=context.get("request_id")
    )


def _edited(event: dict[str, Any], context: BoltContext) -> int | None:
    message = event.get("message")
    if not isinstance(message, dict):
        return None
    reply = _reply(message, event.get("channel"), context)
    if reply is None:
        return None
    edited = message.get("edited")
    return comments.edit(
        context["session"],
        reply=reply,
        edited_at=_time(edited.get("ts")) if isinstance(edited, dict) else None,
        request_id=context.get("request_id"),
    )


def _deleted(event: dict[str, Any], context: BoltContext) -> int | None:
    channel_id, ts = event.get("channel"), event.get("deleted_ts")
    if not _id(channel_id) or not _ts(ts):
        return None
    previous = event.get("previous_message")
    thread_ts: str | None = None
    user_id: str | None = None
    if isinstance(previous, dict):
        if _by_bot(previous, context):
            return None
        thread_ts = previous.get("thread_ts")
        if not _ts(thread_ts) or thread_ts == ts:
            return None  # a message outside any thread, or a thread's first one
        user_id = previous.get("user") if _id(previous.get("user")) else None
    return comments.delete(
        context["session"],
        channel_id=channel_id,
        ts=ts,
        thread_ts=thread_ts,
        user_id=user_id,
        request_id=context.get("request_id"),
    )


def _reply(message: dict[str, Any], channel_id: Any, context: BoltContext) -> Reply | None:
    """A person's reply in a thread (not the thread's first message), or None."""
    thread_ts, ts, user_id = message.get("thread_ts"), message.get("ts"), message.get("user")
    if not _ts(thread_ts) or not _ts(ts) or thread_ts == ts:
        return None
    if not _id(channel_id) or not _id(user_id) or _by_bot(message, context):
        return None
    return Reply(
        channel_id=channel_id,
        thread_ts=thread_ts,
        ts=ts,
        user_id=user_id,
        text=decode_slack_text(text_of(message.get("text"))),
        at=_time(ts),
    )


def _by_bot(message: dict[str, Any], context: BoltContext) -> bool:
    """A bot's message, this app's own included."""
    return (
        bool(message.get("bot_id"))
        or message.get("subtype") == "bot_message"
        or (message.get("user") is not None and message.get("user") == context.bot_user_id)
    )


def _id(value: Any) -> bool:
    return isinstance(value, str) and 0 < len(value) <= ID_MAX


def _ts(value: Any) -> bool:
    return isinstance(value, str) and TS.match(value) is not None


def _time(ts: Any) -> datetime | None:
    """The moment a Slack ts names (seconds since the epoch), if it is one."""
    return datetime.fromtimestamp(float(ts), UTC) if _ts(ts) else None
