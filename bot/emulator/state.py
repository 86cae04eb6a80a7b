"""Thread-safe in-memory state of the Slack emulator: calls, messages, views, uploads, faults."""

from __future__ import annotations

import copy
import itertools
import math
import threading
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

TEAM_ID = "T0EMULATOR"
TEAM_NAME = "Emulator Workspace"
TEAM_DOMAIN = "emulator"
APP_ID = "A0EMULATOR"
BOT_USER_ID = "U0EMUBOT"
BOT_ID = "B0EMUBOT"
BOT_NAME = "rapporteur"

Call = dict[str, Any]
Predicate = Callable[[Call], bool]


@dataclass(frozen=True)
class Fault:
    """One queued fault for a method: delay first, then drop, HTTP status or ok:false error.

    ``after_effect``: the method acts first (a message is stored, a view opened) and only
    its answer is replaced — Slack did the work, but the client never heard of it.
    """

    status: int | None = None
    retry_after: int | None = None
    delay: float = 0.0
    drop: bool = False
    error: str | None = None
    after_effect: bool = False

    def describe(self) -> dict[str, Any]:
        """Return the fault as a JSON-friendly dict (for call records)."""
        out: dict[str, Any] = {} if self.drop else {"status": self.http_status()}
        if self.retry_after is not None:
            out["retry_after"] = self.retry_after
        if self.delay:
            out["delay"] = self.delay
        if self.drop:
            out["drop"] = True
        if self.error is not None:
            out["error"] = self.error
        if self.after_effect:
            out["after_effect"] = True
        return out

    def http_status(self) -> int:
        """Return the HTTP status this fault answers with (200 for delay-only and error faults)."""
        if self.status is not None:
            return self.status
        if self.retry_after is not None:
            return 429
        if self.error is not None or (self.delay and not self.after_effect):
            return 200
        return 500

    def replaces_answer(self) -> bool:
        """Return True when the normal answer is replaced (not a pure delay)."""
        return self.drop or self.error is not None or self.http_status() != 200


def make_fault(
    *,
    status: int | None = None,
    retry_after: int | None = None,
    delay: float = 0.0,
    drop: bool = False,
    error: str | None = None,
    after_effect: bool = False,
) -> Fault:
    """Build a Fault, validating the combination of arguments."""
    if status is not None and not 100 <= status <= 599:
        raise ValueError(f"invalid HTTP status {status}")
    if delay < 0:
        raise ValueError("delay must be >= 0")
    fault = Fault(
        status=status,
        retry_after=retry_after,
        delay=delay,
        drop=drop,
        error=error,
        after_effect=after_effect,
    )
    if after_effect and not fault.replaces_answer():
        raise ValueError("after_effect needs an answer to replace (status, error or drop)")
    return fault


@dataclass
class ResponseUrl:
    """Context of an issued response_url."""

    token: str
    channel_id: str | None = None
    message_ts: str | None = None
    user_id: str | None = None
    uses: int = 0


@dataclass
class Upload:
    """A file going through the files.getUploadURLExternal flow."""

    file_id: str
    filename: str
    length: int
    content: bytes | None = None
    title: str | None = None
    channel_id: str | None = None
    initial_comment: str | None = None
    thread_ts: str | None = None
    completed: bool = False

    def to_dict(self, *, with_content: bool) -> dict[str, Any]:
        """Return the upload as a dict, with or without its bytes."""
        out: dict[str, Any] = {
            "file_id": self.file_id,
            "filename": self.filename,
            "title": self.title,
            "channel_id": self.channel_id,
            "initial_comment": self.initial_comment,
            "thread_ts": self.thread_ts,
            "length": self.length,
            "size": len(self.content or b""),
        }
        if with_content:
            out["content"] = self.content or b""
        return out


@dataclass
class State:
    """All mutable emulator state; every access goes through ``lock``."""

    lock: threading.RLock = field(default_factory=threading.RLock)
    calls: list[Call] = field(default_factory=list)
    messages: dict[tuple[str, str], dict[str, Any]] = field(default_factory=dict)
    views: dict[str, dict[str, Any]] = field(default_factory=dict)
    home_views: dict[str, str] = field(default_factory=dict)
    uploads: dict[str, Upload] = field(default_factory=dict)
    faults: dict[str, deque[Fault]] = field(default_factory=dict)
    rate_limited_until: dict[str, float] = field(default_factory=dict)  # method → monotonic
    response_urls: dict[str, ResponseUrl] = field(default_factory=dict)
    used_triggers: set[str] = field(default_factory=set)
    joined: set[str] = field(default_factory=set)
    users: dict[str, dict[str, Any]] = field(default_factory=dict)
    channels: dict[str, dict[str, Any]] = field(default_factory=dict)
    last_ts_us: int = 0
    counter: itertools.count[int] = field(default_factory=lambda: itertools.count(1))
    changed: threading.Condition = field(init=False, repr=False)

    def __post_init__(self) -> None:
        self.changed = threading.Condition(self.lock)

    # -- identifiers -------------------------------------------------------

    def next_id(self, prefix: str, width: int = 7) -> str:
        """Return a fresh id such as ``V0000001`` (unique for this emulator's lifetime)."""
        with self.lock:
            return f"{prefix}{next(self.counter):0{width}d}"

    def next_ts(self) -> str:
        """Return a unique, strictly increasing Slack timestamp such as ``1700000000.000100``."""
        with self.lock:
            now_us = int(time.time() * 1_000_000)
            self.last_ts_us = max(now_us, self.last_ts_us + 1)
            secs, micros = divmod(self.last_ts_us, 1_000_000)
            return f"{secs}.{micros:06d}"

    # -- calls -------------------------------------------------------------

    def record(
        self,
        method: str,
        params: dict[str, Any],
        token: str | None,
        fault: Fault | None = None,
        at: float | None = None,
        **extra: Any,
    ) -> Call:
        """Append a call record (``at`` = arrival time, default now) and wake up waiters."""
        stamp = time.time() if at is None else at
        call: Call = {"method": method, "params": params, "time": stamp, "token": token}
        if fault is not None:
            call["fault"] = fault.describe()
        call.update(extra)
        with self.changed:
            self.calls.append(call)
            self.changed.notify_all()
        return call

    def list_calls(self, method: str | None = None) -> list[Call]:
        """Return a deep copy of the recorded calls, optionally filtered by method."""
        with self.lock:
            picked = [c for c in self.calls if method is None or c["method"] == method]
            return copy.deepcopy(picked)

    def wait_for(
        self, method: str, count: int, timeout: float, predicate: Predicate | None
    ) -> list[Call]:
        """Block until ``count`` matching calls are recorded; raise TimeoutError otherwise."""
        deadline = time.monotonic() + timeout
        with self.changed:
            while True:
                found = [
                    c
                    for c in self.calls
                    if c["method"] == method and (predicate is None or predicate(c))
                ]
                if len(found) >= count:
                    return copy.deepcopy(found)
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    raise TimeoutError(describe_timeout(method, count, len(found), self.calls))
                self.changed.wait(remaining)

    # -- faults ------------------------------------------------------------

    def add_fault(self, method: str, fault: Fault, times: int) -> None:
        """Queue ``times`` copies of a fault for ``method``."""
        if times < 1:
            raise ValueError("times must be >= 1")
        with self.lock:
            self.faults.setdefault(method, deque()).extend([fault] * times)

    def rate_limit(self, method: str, seconds: float) -> None:
        """Answer every call of ``method`` with a 429 for the next ``seconds``, as Slack does."""
        if seconds <= 0:
            raise ValueError("seconds must be > 0")
        with self.lock:
            self.rate_limited_until[method] = time.monotonic() + seconds

    def take_fault(self, method: str) -> Fault | None:
        """Pop the next queued fault for ``method``, if any; inside a rate limit, a 429.

        The 429's Retry-After is the rest of the window in whole seconds, rounded up.
        """
        with self.lock:
            left = self.rate_limited_until.get(method, 0.0) - time.monotonic()
            if left > 0:
                return Fault(retry_after=math.ceil(left))
            queue = self.faults.get(method)
            return queue.popleft() if queue else None

    # -- messages ----------------------------------------------------------

    def list_messages(self, channel: str | None = None) -> list[dict[str, Any]]:
        """Return copies of stored messages ordered by timestamp."""
        with self.lock:
            picked = [m for m in self.messages.values() if channel in (None, m["channel"])]
            return copy.deepcopy(sorted(picked, key=lambda m: float(m["ts"])))

    def reset(self) -> None:
        """Forget calls, messages, views, uploads, faults and response URLs (keep seeded users)."""
        with self.changed:
            self.calls.clear()
            self.messages.clear()
            self.views.clear()
            self.home_views.clear()
            self.uploads.clear()
            self.faults.clear()
            self.rate_limited_until.clear()
            self.response_urls.clear()
            self.used_triggers.clear()
            self.joined.clear()
            self.changed.notify_all()


def describe_timeout(method: str, count: int, got: int, calls: list[Call]) -> str:
    """Build a helpful TimeoutError message listing the most recent calls."""
    recent = calls[-10:]
    lines = [f"  {c['method']} {summarise(c['params'])}" for c in recent] or ["  (no calls)"]
    return (
        f"expected {count} call(s) to {method!r}, saw {got}; "
        f"{len(calls)} call(s) recorded in total, most recent:\n" + "\n".join(lines)
    )


def summarise(params: dict[str, Any], limit: int = 120) -> str:
    """Return a short one-line rendering of call params."""
    text = repr({k: v for k, v in params.items() if k not in ("blocks", "view")})
    return text if len(text) <= limit else text[: limit - 3] + "..."
