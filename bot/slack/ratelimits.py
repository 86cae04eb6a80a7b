"""Slack's rate limits as this process last heard them, so paced messages wait without a thread.

slack_sdk's own handler rides out a 429 by sleeping in the calling thread. That suits rare
calls, but a burst's confirmations are many: each would sleep in a job thread and try again
on its own, holding the pool and hammering a method Slack asked us to leave alone. Instead,
the first 429 closes the method for the Retry-After Slack gave; until then, deliveries are
put back (bot.delivery.coalescer.DeliverLater), where each voter's later clicks join them.
"""

from __future__ import annotations

import threading
import time

from slack_sdk.errors import SlackApiError

DEFAULT_RETRY_AFTER = 1.0  # seconds, when a 429 names no Retry-After


class RateLimits:
    """Per Web API method: until when Slack asked this app to wait."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._until: dict[str, float] = {}

    def wait(self, method: str) -> float:
        """Seconds left before `method` may be called again (0.0: now)."""
        with self._lock:
            until = self._until.get(method, 0.0)
        return max(0.0, until - time.monotonic())

    def note(self, method: str, seconds: float) -> None:
        """Slack answered `method` with a 429: leave it alone for `seconds`."""
        with self._lock:
            until = time.monotonic() + seconds
            self._until[method] = max(self._until.get(method, 0.0), until)


def retry_after(error: SlackApiError) -> float | None:
    """The seconds a rate-limited call (HTTP 429) must wait; None for any other refusal."""
    response = error.response
    if getattr(response, "status_code", None) != 429:
        return None
    headers = getattr(response, "headers", None) or {}
    for name, value in headers.items():
        if name.lower() == "retry-after":
            raw = value[0] if isinstance(value, list) and value else value
            try:
                return max(0.0, float(raw))
            except (TypeError, ValueError):
                break
    return DEFAULT_RETRY_AFTER
