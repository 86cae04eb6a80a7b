"""views.* Web API methods: open, push, update, publish."""

from __future__ import annotations

import copy
import secrets
import time
from typing import Any

from bot.emulator import blocks as bk
from bot.emulator.apicore import ApiError, Ctx, Json
from bot.emulator.state import APP_ID, BOT_ID, TEAM_ID


def check_view(view: Any, kind: str) -> None:
    """Validate a view payload, raising invalid_arguments / invalid_blocks."""
    if isinstance(view, str):
        raise ApiError("invalid_arguments", ["view must be a JSON object"])
    field_errors, block_errors = bk.validate_view(view, kind=kind)
    if field_errors:
        raise ApiError("invalid_arguments", field_errors + block_errors)
    if block_errors:
        raise ApiError("invalid_blocks", block_errors, errors=block_errors)


def exchange_trigger(ctx: Ctx) -> None:
    """Consume a trigger_id; each one can open or push a single view."""
    trigger = str(ctx.require("trigger_id"))
    with ctx.state.lock:
        if trigger in ctx.state.used_triggers:
            raise ApiError("exchanged_trigger_id")
        ctx.state.used_triggers.add(trigger)


def store_view(ctx: Ctx, view: Json, view_id: str, root_id: str | None = None) -> Json:
    """Store a view as Slack would echo it back and return a copy."""
    stored: Json = {
        "id": view_id,
        "team_id": TEAM_ID,
        "type": view.get("type"),
        "private_metadata": "",
        "callback_id": "",
        "external_id": "",
        "state": {"values": {}},
        "hash": f"{int(time.time())}.{secrets.token_hex(4)}",
        "clear_on_close": False,
        "notify_on_close": False,
        "close": None,
        "submit": None,
        "previous_view_id": None,
        "root_view_id": root_id or view_id,
        "app_id": APP_ID,
        "app_installed_team_id": TEAM_ID,
        "bot_id": BOT_ID,
    }
    stored.update(copy.deepcopy(view))
    stored["id"] = view_id
    with ctx.state.lock:
        ctx.state.views[view_id] = stored
        return copy.deepcopy(stored)


def views_open(ctx: Ctx) -> Json:
    """views.open: open a modal with a trigger_id."""
    ctx.require("trigger_id")
    view = ctx.require("view")
    check_view(view, "modal")
    exchange_trigger(ctx)
    return {"view": store_view(ctx, view, ctx.state.next_id("V"))}


def views_push(ctx: Ctx) -> Json:
    """views.push: push a modal on the stack with a trigger_id."""
    return views_open(ctx)


def find_view(ctx: Ctx) -> Json:
    """Return the stored view addressed by view_id or external_id (caller holds the lock)."""
    view_id, external_id = ctx.params.get("view_id"), ctx.params.get("external_id")
    if not view_id and not external_id:
        raise ApiError("invalid_arguments", ["must provide either view_id or external_id"])
    for stored in ctx.state.views.values():
        if (view_id and stored["id"] == view_id) or (
            external_id and stored.get("external_id") == external_id
        ):
            return stored
    raise ApiError("not_found")


def views_update(ctx: Ctx) -> Json:
    """views.update: replace a stored view (hash-checked when a hash is given)."""
    view = ctx.require("view")
    with ctx.state.lock:
        current = find_view(ctx)
        check_view(view, str(current.get("type")))
        wanted_hash = ctx.params.get("hash")
        if wanted_hash and wanted_hash != current["hash"]:
            raise ApiError("hash_conflict")
        if isinstance(view, dict) and not view.get("external_id") and current.get("external_id"):
            view = {**view, "external_id": current["external_id"]}
        return {"view": store_view(ctx, view, current["id"], current.get("root_view_id"))}


def views_publish(ctx: Ctx) -> Json:
    """views.publish: store the latest home tab per user."""
    user_id = str(ctx.require("user_id"))
    view = ctx.require("view")
    check_view(view, "home")
    with ctx.state.lock:
        view_id = ctx.state.home_views.get(user_id)
        current = ctx.state.views.get(view_id or "")
        wanted_hash = ctx.params.get("hash")
        if wanted_hash and current is not None and wanted_hash != current["hash"]:
            raise ApiError("hash_conflict")
        view_id = view_id or ctx.state.next_id("V")
        ctx.state.home_views[user_id] = view_id
        return {"view": store_view(ctx, view, view_id)}
