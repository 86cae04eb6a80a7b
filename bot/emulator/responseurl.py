"""response_url handling: issue URLs and apply what the app posts to them."""

from __future__ import annotations

import copy
import secrets
from typing import Any

from bot.emulator.apicore import ApiError
from bot.emulator.messages import apply_edit, check_message, message_body
from bot.emulator.state import ResponseUrl, State

#: Slack accepts up to five responses per response_url.
MAX_USES = 5


def issue(
    state: State,
    base_url: str,
    *,
    channel_id: str | None = None,
    message_ts: str | None = None,
    user_id: str | None = None,
) -> str:
    """Create a fresh response URL bound to an optional channel/message/user context."""
    token = secrets.token_urlsafe(16)
    with state.lock:
        state.response_urls[token] = ResponseUrl(token, channel_id, message_ts, user_id)
    return f"{base_url}/response/{token}"


def flag(value: Any) -> bool:
    """Interpret a JSON or form boolean."""
    return value in (True, 1, "1", "true", "True")


def respond(state: State, token: str, body: dict[str, Any]) -> tuple[int, dict[str, Any] | str]:
    """Apply a response_url POST; return (HTTP status, JSON error or "ok")."""
    with state.lock:
        target = state.response_urls.get(token)
        if target is None:
            return 404, {"ok": False, "error": "expired_url"}
        target.uses += 1
        if target.uses > MAX_USES:
            return 404, {"ok": False, "error": "used_url"}
    deleting = flag(body.get("delete_original"))
    try:
        check_message(body, require_content=not deleting)
    except ApiError as exc:
        return 400, exc.body()
    channel, ts = target.channel_id, target.message_ts
    with state.lock:
        if deleting and channel and ts:
            state.messages.pop((channel, ts), None)
        elif flag(body.get("replace_original")) and channel and ts:
            stored = state.messages.get((channel, ts))
            if stored is None:
                return 404, {"ok": False, "error": "message_not_found"}
            apply_edit(stored, body)
        elif body.get("response_type") == "in_channel" and channel:
            new_ts = state.next_ts()
            message = message_body(body, new_ts)
            state.messages[(channel, new_ts)] = {
                **copy.deepcopy(message),
                "channel": channel,
                "updates": 0,
            }
    return 200, "ok"
