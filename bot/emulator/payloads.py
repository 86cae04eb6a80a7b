"""Builders for the payloads Slack sends to apps (slash commands, interactions, events).

The same dicts are used over HTTP (:mod:`bot.emulator.sender`) and Socket Mode
(``Emulator.socket_send``).
"""

from __future__ import annotations

import copy
import secrets
import string
import time
from typing import Any

from bot.emulator.state import APP_ID, BOT_ID, BOT_USER_ID, TEAM_DOMAIN, TEAM_ID

Json = dict[str, Any]
VERIFICATION_TOKEN = "emulator-verification-token"


def new_trigger_id() -> str:
    """Return a fresh trigger id shaped like ``13345224609.738474920.8088930838d88f008e0``."""
    head = secrets.randbelow(9 * 10**10) + 10**10
    middle = secrets.randbelow(9 * 10**8) + 10**8
    return f"{head}.{middle}.{secrets.token_hex(16)}"


def new_event_id() -> str:
    """Return a fresh event id such as ``Ev08MFMKH6J9``."""
    alphabet = string.ascii_uppercase + string.digits
    return "Ev" + "".join(secrets.choice(alphabet) for _ in range(10))


def action_ts() -> str:
    """Return an action timestamp in Slack's format."""
    return f"{time.time():.6f}"


def channel_name(channel_id: str) -> str:
    """Return the channel name Slack would report (matches the emulator's conversations.info)."""
    return "directmessage" if channel_id.startswith("D") else f"channel-{channel_id.lower()}"


def user_object(user_id: str, user_name: str | None, team_id: str = TEAM_ID) -> Json:
    """Return the ``user`` object of interaction payloads."""
    name = user_name or f"user.{user_id.lower()}"
    return {"id": user_id, "username": name, "name": name, "team_id": team_id}


def team_object(team_id: str = TEAM_ID) -> Json:
    """Return the ``team`` object of interaction payloads."""
    return {"id": team_id, "domain": TEAM_DOMAIN}


def command_payload(
    *,
    user_id: str,
    channel_id: str,
    command: str,
    text: str = "",
    user_name: str | None = None,
    trigger_id: str | None = None,
    response_url: str = "",
    team_id: str = TEAM_ID,
    api_app_id: str = APP_ID,
) -> dict[str, str]:
    """Return the fields of a slash command (form fields over HTTP, payload over Socket Mode)."""
    return {
        "token": VERIFICATION_TOKEN,
        "team_id": team_id,
        "team_domain": TEAM_DOMAIN,
        "channel_id": channel_id,
        "channel_name": channel_name(channel_id),
        "user_id": user_id,
        "user_name": user_name or f"user.{user_id.lower()}",
        "command": command,
        "text": text,
        "api_app_id": api_app_id,
        "is_enterprise_install": "false",
        "response_url": response_url,
        "trigger_id": trigger_id or new_trigger_id(),
    }


def find_element(message: Json, action_id: str) -> tuple[str | None, Json | None]:
    """Find the interactive element with ``action_id`` in a message; return (block_id, element)."""
    for block in message.get("blocks") or []:
        candidates = list(block.get("elements") or [])
        if "accessory" in block:
            candidates.append(block["accessory"])
        for element in candidates:
            if isinstance(element, dict) and element.get("action_id") == action_id:
                return block.get("block_id"), element
    return None, None


def action_object(action_id: str, block_id: str, value: str | None, element: Json | None) -> Json:
    """Return the ``actions[0]`` entry for a clicked button or chosen select option."""
    element = element or {"type": "button"}
    kind = element.get("type", "button")
    action: Json = {"action_id": action_id, "block_id": block_id, "type": kind}
    if kind == "button":
        label = element.get("text") or {"type": "plain_text", "text": value or action_id}
        action.update(text=label, value=value if value is not None else element.get("value"))
        if "style" in element:
            action["style"] = element["style"]
    else:
        options = element.get("options") or []
        chosen = next((o for o in options if o.get("value") == value), None)
        action["selected_option"] = chosen or state_value_select(value or "")["selected_option"]
    action["action_ts"] = action_ts()
    return action


def block_actions_payload(
    *,
    user_id: str,
    channel_id: str,
    message: Json,
    action_id: str,
    value: str | None,
    block_id: str | None = None,
    user_name: str | None = None,
    response_url: str = "",
    trigger_id: str | None = None,
    team_id: str = TEAM_ID,
    api_app_id: str = APP_ID,
) -> Json:
    """Return a ``block_actions`` payload for a click on a message element."""
    found_block, element = find_element(message, action_id)
    ts = str(message.get("ts"))
    return {
        "type": "block_actions",
        "user": user_object(user_id, user_name, team_id),
        "api_app_id": api_app_id,
        "token": VERIFICATION_TOKEN,
        "container": {
            "type": "message",
            "message_ts": ts,
            "channel_id": channel_id,
            "is_ephemeral": False,
        },
        "trigger_id": trigger_id or new_trigger_id(),
        "team": team_object(team_id),
        "enterprise": None,
        "is_enterprise_install": False,
        "channel": {"id": channel_id, "name": channel_name(channel_id)},
        "message": copy.deepcopy(message),
        "state": {"values": {}},
        "response_url": response_url,
        "actions": [action_object(action_id, block_id or found_block or "b", value, element)],
    }


def message_action_payload(
    *,
    user_id: str,
    channel_id: str,
    message: Json,
    callback_id: str,
    user_name: str | None = None,
    response_url: str = "",
    trigger_id: str | None = None,
    team_id: str = TEAM_ID,
) -> Json:
    """Return a ``message_action`` payload: a message shortcut chosen on ``message``."""
    return {
        "type": "message_action",
        "token": VERIFICATION_TOKEN,
        "action_ts": action_ts(),
        "team": team_object(team_id),
        "user": user_object(user_id, user_name, team_id),
        "channel": {"id": channel_id, "name": channel_name(channel_id)},
        "is_enterprise_install": False,
        "enterprise": None,
        "callback_id": callback_id,
        "trigger_id": trigger_id or new_trigger_id(),
        "response_url": response_url,
        "message_ts": str(message.get("ts")),
        "message": copy.deepcopy(message),
    }


def minimal_message(ts: str, text: str = "") -> Json:
    """Return a bot message stub for when the real message is unknown."""
    return {"type": "message", "ts": ts, "text": text, "user": BOT_USER_ID, "bot_id": BOT_ID}


def check_values(view: Json, values: Json) -> None:
    """Raise ValueError if ``values`` names input blocks/actions the view does not contain."""
    blocks = view.get("blocks")
    if not isinstance(blocks, list):
        return
    known: dict[str, set[str | None]] = {}
    for block in blocks:
        if isinstance(block, dict) and block.get("type") == "input":
            if not block.get("block_id"):
                return  # Slack generates ids the sender cannot know; nothing to check
            element = block.get("element") or {}
            known[str(block["block_id"])] = {element.get("action_id")}
    for block_id, actions in values.items():
        if block_id not in known:
            raise ValueError(f"view has no input block with block_id {block_id!r}")
        for action_id in actions:
            if known[block_id] != {None} and action_id not in known[block_id]:
                raise ValueError(f"input block {block_id!r} has no action_id {action_id!r}")


def view_submission_payload(
    *,
    user_id: str,
    view: Json,
    values: Json,
    user_name: str | None = None,
    trigger_id: str | None = None,
    team_id: str = TEAM_ID,
    api_app_id: str = APP_ID,
) -> Json:
    """Return a ``view_submission`` payload: the view as opened plus ``state.values``."""
    check_values(view, values)
    submitted = copy.deepcopy(view)
    submitted["state"] = {"values": copy.deepcopy(values)}
    submitted.setdefault("team_id", team_id)
    submitted.setdefault("app_id", api_app_id)
    return {
        "type": "view_submission",
        "team": team_object(team_id),
        "user": user_object(user_id, user_name, team_id),
        "api_app_id": api_app_id,
        "token": VERIFICATION_TOKEN,
        "trigger_id": trigger_id or new_trigger_id(),
        "view": submitted,
        "response_urls": [],
        "is_enterprise_install": False,
        "enterprise": None,
    }


def state_value_text(value: str | None, *, kind: str = "plain_text_input") -> Json:
    """Return a ``state.values`` entry for a text-like input (plain_text_input by default)."""
    return {"type": kind, "value": value}


def state_value_select(
    value: str | None, text: str | None = None, *, kind: str = "static_select"
) -> Json:
    """Return a ``state.values`` entry for a static select (None = nothing selected)."""
    if value is None:
        return {"type": kind, "selected_option": None}
    option = {"text": {"type": "plain_text", "text": text or value, "emoji": True}, "value": value}
    return {"type": kind, "selected_option": option}


def event_callback(
    event: Json,
    *,
    event_id: str | None = None,
    team_id: str = TEAM_ID,
    api_app_id: str = APP_ID,
) -> Json:
    """Return an Events API ``event_callback`` envelope around ``event``."""
    now = time.time()
    body = copy.deepcopy(event)
    body.setdefault("event_ts", f"{now:.6f}")
    return {
        "token": VERIFICATION_TOKEN,
        "team_id": team_id,
        "api_app_id": api_app_id,
        "event": body,
        "type": "event_callback",
        "event_id": event_id or new_event_id(),
        "event_time": int(now),
        "authorizations": [
            {
                "enterprise_id": None,
                "team_id": team_id,
                "user_id": BOT_USER_ID,
                "is_bot": True,
                "is_enterprise_install": False,
            }
        ],
        "is_ext_shared_channel": False,
        "event_context": f"4-{secrets.token_hex(20)}",
    }
