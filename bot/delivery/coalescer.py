"""Per-key delivery, coalesced: at most one delivery per key per interval.

The first item for a key is delivered at once (on the job pool); items that arrive while a
delivery is queued, or within the interval after one, are delivered together when the
interval ends. Nothing is dropped: every item reaches exactly one delivery, and a graceful
shutdown runs the deliveries still waiting (see bot.delivery.jobs).
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Hashable
from dataclasses import dataclass, field
from typing import Generic, TypeVar

from bot.delivery.jobs import Jobs

K = TypeVar("K", bound=Hashable)
T = TypeVar("T")

PRUNE_AT = 4096  # keys remembered before idle ones are forgotten


class DeliverLater(Exception):
    """Raised by a delivery that cannot be made yet, such as one Slack rate-limited.

    Its items go back, ahead of any that arrived meanwhile, and the key is delivered again
    after `after` seconds, with everything it has by then; no thread waits meanwhile.
    """

    def __init__(self, after: float) -> None:
        super().__init__(f"deliver again in {after:.1f} s")
        self.after = after


@dataclass
class _Key(Generic[T]):
    items: list[T] = field(default_factory=list)
    busy: bool = False  # a delivery is queued or running; items meanwhile wait for the next
    not_before: float = 0.0


class Coalescer(Generic[K, T]):
    """Collects items per key and hands them to `deliver` in batches, paced per key.

    Deliveries for one key never overlap (a slow one holds the next back), and start at least
    `interval` apart. A delivery that raises DeliverLater is tried again, items kept.
    """

    def __init__(self, jobs: Jobs, interval: float, name: str) -> None:
        self._jobs = jobs
        self._interval = interval
        self._name = name
        self._lock = threading.Lock()
        self._keys: dict[K, _Key[T]] = {}

    def add(self, key: K, item: T, deliver: Callable[[K, list[T]], None]) -> None:
        """Queue item for key; `deliver(key, items)` runs later on the job pool."""
        now = time.monotonic()
        with self._lock:
            state = self._keys.get(key)
            if state is None:
                if len(self._keys) >= PRUNE_AT:
                    self._prune(now)
                state = self._keys[key] = _Key()
            state.items.append(item)
            if state.busy:
                return  # rides along with the delivery queued, or the one after it
            state.busy = True
            delay = state.not_before - now
        self._schedule(key, deliver, delay)

    def _schedule(self, key: K, deliver: Callable[[K, list[T]], None], delay: float) -> None:
        def run() -> None:
            self._deliver(key, deliver)

        if delay > 0:
            self._jobs.later(delay, run, self._name)
        else:
            self._jobs.submit(run, self._name)

    def _deliver(self, key: K, deliver: Callable[[K, list[T]], None]) -> None:
        with self._lock:
            state = self._keys[key]
            items, state.items = state.items, []
            state.not_before = time.monotonic() + self._interval
        try:
            deliver(key, items)
        except DeliverLater as later:
            with self._lock:
                state.items[:0] = items
                state.not_before = max(state.not_before, time.monotonic() + later.after)
        finally:
            with self._lock:
                more = bool(state.items)
                state.busy = more
                delay = state.not_before - time.monotonic()
            if more:
                self._schedule(key, deliver, delay)

    def _prune(self, now: float) -> None:
        idle = [k for k, s in self._keys.items() if not s.busy and s.not_before <= now]
        for key in idle:
            del self._keys[key]
