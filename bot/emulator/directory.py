"""Directory Web API methods: auth.test, users.info/lookupByEmail, conversations.info/join."""

from __future__ import annotations

import copy

from bot.emulator.apicore import ApiError, Ctx, Json
from bot.emulator.state import (
    BOT_ID,
    BOT_NAME,
    BOT_USER_ID,
    TEAM_DOMAIN,
    TEAM_ID,
    TEAM_NAME,
    State,
)


def user_record(state: State, user_id: str) -> Json:
    """Return the deterministic (or seeded) user object for an id."""
    is_bot = user_id == BOT_USER_ID
    name = BOT_NAME if is_bot else f"user.{user_id.lower()}"
    real = "Rapporteur" if is_bot else f"User {user_id}"
    user: Json = {
        "id": user_id,
        "team_id": TEAM_ID,
        "name": name,
        "real_name": real,
        "deleted": False,
        "is_bot": is_bot,
        "is_admin": False,
        "tz": "Europe/Brussels",
        "tz_label": "Central European Time",
        "tz_offset": 3600,
        "profile": {
            "display_name": name,
            "display_name_normalized": name,
            "real_name": real,
            "real_name_normalized": real,
            "email": f"{name}@example.org",
        },
    }
    with state.lock:
        overrides = copy.deepcopy(state.users.get(user_id, {}))
    user["profile"].update(overrides.pop("profile", {}))
    user.update(overrides)
    return user


def users_info(ctx: Ctx) -> Json:
    """users.info: a deterministic user."""
    user_id = str(ctx.require("user", "user_not_found"))
    if user_id[:1] not in ("U", "W"):
        raise ApiError("user_not_found")
    return {"user": user_record(ctx.state, user_id)}


def users_lookup_by_email(ctx: Ctx) -> Json:
    """users.lookupByEmail: the user whose profile has that email, else users_not_found.

    The directory is every seeded user (``Emulator.add_user``) plus the deterministic
    ones users.info answers for, whose email is ``user.<id in lower case>@example.org``.
    Emails compare case-insensitively; bots have none.
    """
    email = str(ctx.require("email", "users_not_found")).strip().lower()
    with ctx.state.lock:
        candidates = list(ctx.state.users)
    local, _, domain = email.partition("@")
    if domain == "example.org" and local.startswith("user."):
        candidates.append(local.removeprefix("user.").upper())
    for user_id in candidates:
        if user_id[:1] not in ("U", "W") or user_id == BOT_USER_ID:
            continue
        user = user_record(ctx.state, user_id)
        if str(user["profile"].get("email", "")).lower() == email and not user["is_bot"]:
            return {"user": user}
    raise ApiError("users_not_found")


def channel_record(state: State, channel_id: str) -> Json:
    """Return the deterministic (or seeded) conversation object for an id."""
    prefix = channel_id[:1]
    with state.lock:
        overrides = copy.deepcopy(state.channels.get(channel_id, {}))
        member = channel_id in state.joined or prefix in ("D", "G")
    channel: Json = {
        "id": channel_id,
        "name": f"channel-{channel_id.lower()}",
        "is_channel": prefix == "C",
        "is_group": prefix == "G",
        "is_im": prefix == "D",
        "is_private": prefix in ("G", "D"),
        "is_archived": False,
        "is_member": member,
        "created": 1700000000,
        "creator": "U0EMUADMIN",
        "context_team_id": TEAM_ID,
        "topic": {"value": "", "creator": "", "last_set": 0},
        "purpose": {"value": "", "creator": "", "last_set": 0},
    }
    channel.update(overrides)
    return channel


def conversations_info(ctx: Ctx) -> Json:
    """conversations.info: a deterministic channel."""
    channel_id = str(ctx.require("channel", "channel_not_found"))
    if channel_id[:1] not in ("C", "G", "D"):
        raise ApiError("channel_not_found")
    return {"channel": channel_record(ctx.state, channel_id)}


def conversations_join(ctx: Ctx) -> Json:
    """conversations.join: mark the bot as a member of a public channel."""
    channel_id = str(ctx.require("channel", "channel_not_found"))
    if channel_id[:1] != "C":
        raise ApiError("method_not_supported_for_channel_type")
    with ctx.state.lock:
        ctx.state.joined.add(channel_id)
    return {"channel": channel_record(ctx.state, channel_id)}


def auth_test(ctx: Ctx) -> Json:
    """auth.test: identity of the emulated bot."""
    return {
        "url": f"https://{TEAM_DOMAIN}.slack.com/",
        "team": TEAM_NAME,
        "user": BOT_NAME,
        "team_id": TEAM_ID,
        "user_id": BOT_USER_ID,
        "bot_id": BOT_ID,
        "is_enterprise_install": False,
    }
