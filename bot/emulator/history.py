"""conversations.history: a channel's stored messages, newest first, a page at a time."""

from __future__ import annotations

import base64
import binascii
import copy
from decimal import Decimal, InvalidOperation

from bot.emulator.apicore import ApiError, Ctx, Json
from bot.emulator.directory import channel_record
from bot.emulator.messages import dm_channel

DEFAULT_LIMIT = 100
MAX_LIMIT = 999
CURSOR_PREFIX = "next_ts:"
HIDDEN = ("channel", "updates")  # the emulator's own bookkeeping on a stored message


def conversations_history(ctx: Ctx) -> Json:
    """conversations.history, as Slack documents it.

    ``limit`` (default 100, at most 999), ``cursor`` (``response_metadata.next_cursor`` of the
    previous page), ``oldest``/``latest`` (exclusive unless ``inclusive``), and
    ``include_all_metadata``: messages carry their ``metadata`` only when it is true. Thread
    replies are not listed (they belong to conversations.replies). The bot must be a member
    of a public channel (conversations.join, or ``Emulator.add_channel(id, is_member=True)``
    for a channel it was invited to); otherwise ``not_in_channel``.
    """
    channel = dm_channel(ctx.require("channel", "channel_not_found"))
    if channel[:1] not in ("C", "G", "D"):
        raise ApiError("channel_not_found")
    if not channel_record(ctx.state, channel)["is_member"]:
        raise ApiError("not_in_channel")
    inclusive = _flag(ctx.params.get("inclusive"))
    oldest = _ts(ctx.params.get("oldest"), "invalid_ts_oldest", default=Decimal(0))
    latest = _ts(ctx.params.get("latest"), "invalid_ts_latest", default=None)
    before = _cursor(ctx.params.get("cursor"))
    limit = _limit(ctx.params.get("limit"))
    with_metadata = _flag(ctx.params.get("include_all_metadata"))

    def wanted(message: Json) -> bool:
        ts = Decimal(message["ts"])
        thread_ts = message.get("thread_ts")
        if thread_ts and thread_ts != message["ts"]:
            return False
        if ts < oldest or (ts == oldest and not inclusive):
            return False
        if latest is not None and (ts > latest or (ts == latest and not inclusive)):
            return False
        return before is None or ts < before

    with ctx.state.lock:
        picked = [
            copy.deepcopy(m)
            for (where, _), m in ctx.state.messages.items()
            if where == channel and wanted(m)
        ]
    picked.sort(key=lambda m: Decimal(m["ts"]), reverse=True)
    page, has_more = picked[:limit], len(picked) > limit
    for message in page:
        for key in HIDDEN:
            message.pop(key, None)
        if not with_metadata:
            message.pop("metadata", None)
    next_cursor = _encode_cursor(page[-1]["ts"]) if has_more else ""
    return {
        "messages": page,
        "has_more": has_more,
        "pin_count": 0,
        "response_metadata": {"next_cursor": next_cursor},
    }


def _flag(value: object) -> bool:
    """A boolean argument: JSON true, or "true"/"1" in a form."""
    return value is True or str(value).lower() in ("true", "1")


def _ts(value: object, error: str, default: Decimal | None) -> Decimal | None:
    if value in (None, ""):
        return default
    try:
        ts = Decimal(str(value))
    except InvalidOperation:
        raise ApiError(error) from None
    if not ts.is_finite():
        raise ApiError(error)
    return ts


def _limit(value: object) -> int:
    if value in (None, ""):
        return DEFAULT_LIMIT
    try:
        limit = int(str(value))
    except ValueError:
        raise ApiError("invalid_limit") from None
    return min(max(limit, 1), MAX_LIMIT)


def _encode_cursor(ts: str) -> str:
    return base64.b64encode(f"{CURSOR_PREFIX}{ts}".encode()).decode()


def _cursor(value: object) -> Decimal | None:
    """The ts a cursor continues below, or None for the first page."""
    if value in (None, ""):
        return None
    try:
        text = base64.b64decode(str(value), validate=True).decode()
        if not text.startswith(CURSOR_PREFIX):
            raise ValueError(text)
        ts = Decimal(text[len(CURSOR_PREFIX) :])
        if not ts.is_finite():
            raise ValueError(text)
        return ts
    except (ValueError, binascii.Error, InvalidOperation, UnicodeDecodeError):
        raise ApiError("invalid_cursor") from None
