"""chat.* Web API methods: post, update, ephemeral, delete."""

from __future__ import annotations

import copy
import json
import time

from bot.emulator import blocks as bk
from bot.emulator.apicore import ApiError, Ctx, Json
from bot.emulator.state import APP_ID, BOT_ID, BOT_USER_ID, TEAM_ID

PERMALINK_BASE = "https://emulator.slack/archives"
METADATA_MAX = 8_000  # characters of JSON a message's metadata may take


def dm_channel(channel: str) -> str:
    """Map a user id passed as channel to its (deterministic) DM channel id, as Slack does."""
    return "D" + channel[1:] if channel[:1] in ("U", "W") else channel


def check_message(params: Json, *, require_content: bool = True) -> None:
    """Validate text/blocks/attachments of a message payload."""
    text, blocks, attachments = (params.get(k) for k in ("text", "blocks", "attachments"))
    if require_content and not (text or blocks or attachments):
        raise ApiError("no_text")
    if isinstance(text, str) and len(text) > bk.MESSAGE_TEXT_MAX:
        raise ApiError("msg_too_long")
    if blocks is not None:
        if isinstance(blocks, str):
            raise ApiError("invalid_blocks_format")
        errors = bk.validate_blocks(blocks)
        if errors:
            raise ApiError("invalid_blocks", errors, errors=errors)
    if attachments is not None and not isinstance(attachments, list):
        raise ApiError("invalid_attachments")
    if params.get("metadata") is not None:
        check_metadata(params["metadata"])


def check_metadata(metadata: object) -> None:
    """Validate message metadata: ``{"event_type": str, "event_payload": object}``."""
    if not isinstance(metadata, dict):
        # a form-encoded call sends it as a JSON string; one that did not decode lands here
        raise ApiError("invalid_metadata_format")
    event_type, payload = metadata.get("event_type"), metadata.get("event_payload")
    if not isinstance(event_type, str) or not event_type or not isinstance(payload, dict):
        raise ApiError(
            "invalid_metadata_schema",
            ["metadata needs event_type (a string) and event_payload (an object)"],
        )
    if len(json.dumps(metadata)) > METADATA_MAX:
        raise ApiError("metadata_too_large")


def message_body(params: Json, ts: str) -> Json:
    """Build the ``message`` object Slack returns for a posted message."""
    message: Json = {
        "type": "message",
        "subtype": "bot_message",
        "text": params.get("text") or "",
        "user": BOT_USER_ID,
        "bot_id": BOT_ID,
        "app_id": APP_ID,
        "team": TEAM_ID,
        "ts": ts,
    }
    for key in ("blocks", "attachments", "thread_ts", "metadata"):
        if params.get(key) is not None:
            message[key] = params[key]
    return message


def chat_post_message(ctx: Ctx) -> Json:
    """chat.postMessage: store the message under (channel, ts)."""
    channel = dm_channel(ctx.require("channel", "channel_not_found"))
    check_message(ctx.params)
    ts = ctx.state.next_ts()
    message = message_body(ctx.params, ts)
    with ctx.state.lock:
        ctx.state.messages[(channel, ts)] = {
            **copy.deepcopy(message),
            "channel": channel,
            "updates": 0,
        }
    return {"channel": channel, "ts": ts, "message": message}


def chat_update(ctx: Ctx) -> Json:
    """chat.update: replace text/blocks of an existing message (absent fields are retained)."""
    channel = dm_channel(ctx.require("channel", "channel_not_found"))
    ts = ctx.require("ts", "message_not_found")
    check_message(ctx.params, require_content=False)
    with ctx.state.lock:
        stored = ctx.state.messages.get((channel, str(ts)))
        if stored is None:
            raise ApiError("message_not_found")
        apply_edit(stored, ctx.params)
        message = {
            k: v for k, v in copy.deepcopy(stored).items() if k not in ("channel", "updates")
        }
    return {"channel": channel, "ts": ts, "text": message["text"], "message": message}


def apply_edit(stored: Json, params: Json) -> None:
    """Apply an edit to a stored message (caller holds the lock)."""
    for key in ("text", "blocks", "attachments", "metadata"):
        if params.get(key) is not None:
            stored[key] = params[key]
    stored["edited"] = {"user": BOT_USER_ID, "ts": str(round(time.time(), 6))}
    stored["updates"] += 1


def chat_post_ephemeral(ctx: Ctx) -> Json:
    """chat.postEphemeral: validate and acknowledge (ephemeral messages are not stored)."""
    ctx.require("channel", "channel_not_found")
    ctx.require("user", "user_not_found")
    check_message(ctx.params)
    return {"message_ts": ctx.state.next_ts()}


def chat_delete(ctx: Ctx) -> Json:
    """chat.delete: remove a stored message."""
    channel = dm_channel(ctx.require("channel", "channel_not_found"))
    ts = str(ctx.require("ts", "message_not_found"))
    with ctx.state.lock:
        if ctx.state.messages.pop((channel, ts), None) is None:
            raise ApiError("message_not_found")
    return {"channel": channel, "ts": ts}


def chat_get_permalink(ctx: Ctx) -> Json:
    """chat.getPermalink: the link to a stored message."""
    channel = dm_channel(ctx.require("channel", "channel_not_found"))
    ts = str(ctx.require("message_ts", "message_not_found"))
    with ctx.state.lock:
        stored = ctx.state.messages.get((channel, ts))
        if stored is None:
            raise ApiError("message_not_found")
        thread_ts = stored.get("thread_ts")
    link = f"{PERMALINK_BASE}/{channel}/p{ts.replace('.', '')}"
    if thread_ts and thread_ts != ts:
        link += f"?thread_ts={thread_ts}&cid={channel}"
    return {"channel": channel, "permalink": link}
