"""EmulatorClient: drive a running emulator from another process over its control API."""

from __future__ import annotations

import json
import time
import urllib.error
import urllib.parse
import urllib.request
from typing import Any

from bot.emulator.state import Call, Predicate, describe_timeout


class EmulatorError(RuntimeError):
    """The control API answered with an error."""


class EmulatorClient:
    """Same inspection/control methods as :class:`Emulator`, over HTTP (urllib only)."""

    def __init__(self, url: str, *, timeout: float = 10.0) -> None:
        base = url.rstrip("/")
        self.url = base[: -len("/api")] if base.endswith("/api") else base
        self.timeout = timeout

    @property
    def api_url(self) -> str:
        """Web API base URL (ends with ``/api/``)."""
        return f"{self.url}/api/"

    def _request(
        self, verb: str, path: str, data: dict[str, Any] | None = None, timeout: float | None = None
    ) -> tuple[int, bytes]:
        """Send a control request and return (status, body)."""
        body = json.dumps(data).encode() if data is not None else None
        req = urllib.request.Request(
            f"{self.url}/_emulator/{path}",
            data=body if verb == "POST" else None,
            method=verb,
            headers={"Content-Type": "application/json"} if verb == "POST" else {},
        )
        try:
            with urllib.request.urlopen(req, timeout=timeout or self.timeout) as resp:
                return resp.status, resp.read()
        except urllib.error.HTTPError as exc:
            return exc.code, exc.read()

    def _json(
        self, verb: str, path: str, data: dict[str, Any] | None = None, timeout: float | None = None
    ) -> Any:
        """Send a control request and decode a successful JSON answer."""
        status, body = self._request(verb, path, data, timeout)
        value = json.loads(body) if body else None
        if status == 504:
            raise TimeoutError((value or {}).get("detail", "emulator timed out"))
        if status >= 400:
            raise EmulatorError(f"{verb} /_emulator/{path} -> {status}: {body[:300]!r}")
        return value

    def health(self) -> dict[str, Any]:
        """Return the emulator's health/status answer."""
        result: dict[str, Any] = self._json("GET", "health")
        return result

    def calls(self, method: str | None = None) -> list[Call]:
        """Return recorded calls, optionally only those of ``method``."""
        query = f"?{urllib.parse.urlencode({'method': method})}" if method else ""
        result: list[Call] = self._json("GET", f"calls{query}")
        return result

    def messages(self, channel: str | None = None) -> list[dict[str, Any]]:
        """Return stored messages, optionally for one channel."""
        query = f"?{urllib.parse.urlencode({'channel': channel})}" if channel else ""
        result: list[dict[str, Any]] = self._json("GET", f"messages{query}")
        return result

    def uploads(self) -> list[dict[str, Any]]:
        """Return completed uploads' metadata (use :meth:`upload_bytes` for content)."""
        result: list[dict[str, Any]] = self._json("GET", "uploads")
        return result

    def upload_bytes(self, file_id: str) -> bytes | None:
        """Return the bytes received for a file id, or None if unknown."""
        status, body = self._request("GET", f"uploads/{urllib.parse.quote(file_id)}")
        return body if status == 200 else None

    def views(self) -> dict[str, dict[str, Any]]:
        """Return stored views by id."""
        result: dict[str, dict[str, Any]] = self._json("GET", "views")
        return result

    def reset(self) -> None:
        """Clear calls, messages, views, uploads, faults and response URLs."""
        self._json("POST", "reset", {})

    def fail(
        self,
        method: str,
        *,
        status: int | None = None,
        times: int = 1,
        retry_after: int | None = None,
        delay: float = 0.0,
        drop: bool = False,
        error: str | None = None,
        after_effect: bool = False,
    ) -> None:
        """Queue faults (same semantics as :meth:`Emulator.fail`)."""
        options = {"status": status, "retry_after": retry_after, "error": error}
        data = {k: v for k, v in options.items() if v is not None}
        data.update(method=method, times=times, delay=delay, drop=drop, after_effect=after_effect)
        self._json("POST", "faults", data)

    def rate_limit(self, method: str, seconds: float) -> None:
        """Rate-limit a method for a while (same semantics as :meth:`Emulator.rate_limit`)."""
        self._json("POST", "rate_limits", {"method": method, "seconds": seconds})

    def response_url(
        self,
        *,
        channel_id: str | None = None,
        message_ts: str | None = None,
        user_id: str | None = None,
    ) -> str:
        """Return a fresh response URL."""
        data = {"channel_id": channel_id, "message_ts": message_ts, "user_id": user_id}
        return str(self._json("POST", "response_urls", data)["url"])

    def wait_for(
        self,
        method: str,
        count: int = 1,
        timeout: float = 5.0,
        predicate: Predicate | None = None,
        *,
        interval: float = 0.02,
    ) -> list[Call]:
        """Poll until ``count`` calls of ``method`` (matching ``predicate``) are recorded."""
        deadline = time.monotonic() + timeout
        while True:
            everything = self.calls()
            found = [
                c
                for c in everything
                if c["method"] == method and (predicate is None or predicate(c))
            ]
            if len(found) >= count:
                return found
            if time.monotonic() >= deadline:
                raise TimeoutError(describe_timeout(method, count, len(found), everything))
            time.sleep(interval)

    def socket_send(
        self, envelope_type: str, payload: dict[str, Any], *, timeout: float = 5.0, **options: Any
    ) -> dict[str, Any]:
        """Deliver a Socket Mode envelope and return the client's ack."""
        data = {"envelope_type": envelope_type, "payload": payload, "timeout": timeout, **options}
        result: dict[str, Any] = self._json("POST", "socket/send", data, timeout + 5)["ack"]
        return result

    def socket_drop(self, reason: str | None = None) -> int:
        """Break live Socket Mode connections; return how many."""
        return int(self._json("POST", "socket/drop", {"reason": reason})["dropped"])

    def socket_wait_connected(self, timeout: float = 5.0) -> int:
        """Wait for a Socket Mode client; return the connection count."""
        answer = self._json("POST", "socket/wait_connected", {"timeout": timeout}, timeout + 5)
        return int(answer["connections"])
