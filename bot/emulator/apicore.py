"""Shared pieces of the Web API handlers: the request context, errors and token checks."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from bot.emulator.state import State

Json = dict[str, Any]


class ApiError(Exception):
    """A Slack ``{"ok": false, "error": ...}`` answer."""

    def __init__(self, error: str, messages: list[str] | None = None, **extra: Any) -> None:
        super().__init__(error)
        self.error = error
        self.extra = extra
        if messages:
            self.extra["response_metadata"] = {"messages": [f"[ERROR] {m}" for m in messages]}

    def body(self) -> Json:
        """Return the JSON body of this error."""
        return {"ok": False, "error": self.error, **self.extra}


@dataclass
class Ctx:
    """One Web API request as seen by a method handler."""

    state: State
    params: Json
    token: str | None
    base_url: str
    socket_url: Callable[[], str]

    def require(self, key: str, error: str = "invalid_arguments") -> Any:
        """Return a required parameter or fail with ``error``."""
        value = self.params.get(key)
        if value in (None, ""):
            raise ApiError(error, [f"missing required field: {key}"])
        return value


def check_token(method: str, token: str | None, allowed: set[str] | None) -> None:
    """Reject missing, malformed, unknown or wrong-type tokens like Slack does."""
    if not token:
        raise ApiError("not_authed")
    is_app_token = token.startswith("xapp-")
    if not (is_app_token or token.startswith("xox")):
        raise ApiError("invalid_auth")
    if allowed is not None and token not in allowed:
        raise ApiError("invalid_auth")
    if is_app_token != (method == "apps.connections.open"):
        raise ApiError("not_allowed_token_type")
