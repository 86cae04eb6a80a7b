"""Slack Web API method table and dispatch."""

from __future__ import annotations

from collections.abc import Callable

from bot.emulator import directory, files, history, messages, views
from bot.emulator.apicore import ApiError, Ctx, Json, check_token

__all__ = ["METHODS", "ApiError", "Ctx", "dispatch"]


def apps_connections_open(ctx: Ctx) -> Json:
    """apps.connections.open: issue a one-time Socket Mode WebSocket URL."""
    return {"url": ctx.socket_url()}


METHODS: dict[str, Callable[[Ctx], Json]] = {
    "auth.test": directory.auth_test,
    "chat.postMessage": messages.chat_post_message,
    "chat.update": messages.chat_update,
    "chat.postEphemeral": messages.chat_post_ephemeral,
    "chat.delete": messages.chat_delete,
    "chat.getPermalink": messages.chat_get_permalink,
    "conversations.history": history.conversations_history,
    "views.open": views.views_open,
    "views.push": views.views_push,
    "views.update": views.views_update,
    "views.publish": views.views_publish,
    "users.info": directory.users_info,
    "users.lookupByEmail": directory.users_lookup_by_email,
    "conversations.info": directory.conversations_info,
    "conversations.join": directory.conversations_join,
    "files.getUploadURLExternal": files.files_get_upload_url,
    "files.completeUploadExternal": files.files_complete_upload,
    "apps.connections.open": apps_connections_open,
}


def dispatch(method: str, ctx: Ctx, allowed_tokens: set[str] | None = None) -> Json:
    """Run a Web API method and return the JSON body (``ok`` included)."""
    handler = METHODS.get(method)
    if handler is None:
        return {"ok": False, "error": "unknown_method", "req_method": method}
    try:
        check_token(method, ctx.token, allowed_tokens)
        return {"ok": True, **handler(ctx)}
    except ApiError as exc:
        return exc.body()
