"""The ``/_emulator/...`` control API, so other processes can drive and inspect the emulator."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any
from urllib.parse import SplitResult, parse_qs, unquote

if TYPE_CHECKING:
    from bot.emulator.server import Emulator

JSON_TYPE = "application/json; charset=utf-8"
Result = tuple[int, str, bytes]
FAULT_KEYS = ("status", "times", "retry_after", "delay", "drop", "error", "after_effect")
SOCKET_KEYS = (
    "envelope_id",
    "timeout",
    "accepts_response_payload",
    "retry_attempt",
    "retry_reason",
)


def ok(value: Any, status: int = 200) -> Result:
    """Return a JSON result."""
    return status, JSON_TYPE, json.dumps(value, default=repr).encode("utf-8")


def fail(status: int, error: str) -> Result:
    """Return a JSON error result."""
    return ok({"ok": False, "error": error}, status)


def route(emulator: Emulator, verb: str, parts: SplitResult, body: bytes) -> Result:
    """Serve one control request."""
    path = parts.path[len("/_emulator/") :].strip("/")
    query = {k: v[-1] for k, v in parse_qs(parts.query).items()}
    try:
        data = json.loads(body) if body.strip() else {}
    except ValueError:
        return fail(400, "invalid_json")
    if not isinstance(data, dict):
        return fail(400, "invalid_json")
    try:
        if verb == "GET":
            return get(emulator, path, query)
        return post(emulator, path, data)
    except TimeoutError as exc:
        return ok({"ok": False, "error": "timeout", "detail": str(exc)}, 504)
    except (KeyError, TypeError, ValueError) as exc:
        return ok({"ok": False, "error": "invalid_arguments", "detail": str(exc)}, 400)


def get(emulator: Emulator, path: str, query: dict[str, str]) -> Result:
    """Serve GET control routes."""
    if path == "health":
        return ok({"ok": True, "url": emulator.url, "api_url": emulator.api_url})
    if path == "calls":
        return ok(emulator.calls(query.get("method")))
    if path == "messages":
        return ok(emulator.messages(query.get("channel")))
    if path == "uploads":
        return ok([{k: v for k, v in u.items() if k != "content"} for u in emulator.uploads()])
    if path.startswith("uploads/"):
        content = emulator.upload_bytes(unquote(path[len("uploads/") :]))
        if content is None:
            return fail(404, "file_not_found")
        return 200, "application/octet-stream", content
    if path == "views":
        return ok(emulator.views())
    if path.startswith("views/"):
        view = emulator.views().get(unquote(path[len("views/") :]))
        return ok(view) if view is not None else fail(404, "not_found")
    return fail(404, "not_found")


def post(emulator: Emulator, path: str, data: dict[str, Any]) -> Result:
    """Serve POST control routes."""
    if path == "reset":
        emulator.reset()
        return ok({"ok": True})
    if path == "faults":
        method = data.get("method")
        if not isinstance(method, str):
            return fail(400, "method_required")
        emulator.fail(method, **{k: data[k] for k in FAULT_KEYS if k in data})
        return ok({"ok": True})
    if path == "rate_limits":
        method, seconds = data.get("method"), data.get("seconds")
        if not isinstance(method, str):
            return fail(400, "method_required")
        if not isinstance(seconds, int | float) or seconds <= 0:
            return fail(400, "invalid_seconds")
        emulator.rate_limit(method, float(seconds))
        return ok({"ok": True})
    if path == "response_urls":
        keys = ("channel_id", "message_ts", "user_id")
        return ok({"ok": True, "url": emulator.response_url(**{k: data.get(k) for k in keys})})
    if path == "socket/send":
        kwargs = {k: data[k] for k in SOCKET_KEYS if k in data}
        ack = emulator.socket_send(str(data["envelope_type"]), data.get("payload") or {}, **kwargs)
        return ok({"ok": True, "ack": ack})
    if path == "socket/drop":
        return ok({"ok": True, "dropped": emulator.socket_drop(reason=data.get("reason"))})
    if path == "socket/wait_connected":
        count = emulator.socket_wait_connected(float(data.get("timeout", 5.0)))
        return ok({"ok": True, "connections": count})
    return fail(404, "not_found")
