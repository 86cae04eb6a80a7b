"""Work that runs after the acknowledgement, on a bounded thread pool with its own sessions."""

from __future__ import annotations

import contextvars
import heapq
import itertools
import logging
import threading
import time
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from enum import StrEnum

log = logging.getLogger(__name__)

Job = Callable[[], None]
DRAIN_TIMEOUT = 20.0  # seconds a graceful shutdown waits for delayed work (gunicorn allows 30)


class Lane(StrEnum):
    """Which threads run a job: card updates have their own, so other work never holds them up.

    A burst's confirmations, a Word build or an upload riding out Slack's rate limits can
    keep every general thread busy for seconds; the tally on the cards must still move.
    """

    GENERAL = "job"
    CARDS = "card"


class Jobs:
    """Thread pools for post-commit work; `shutdown` lets in-flight and delayed work finish."""

    def __init__(self, workers: int = 16, card_workers: int = 4) -> None:
        self._executors = {
            lane: ThreadPoolExecutor(max_workers=size, thread_name_prefix=lane.value)
            for lane, size in ((Lane.GENERAL, workers), (Lane.CARDS, card_workers))
        }
        self._pending: set[Future[None]] = set()
        self._lock = threading.Lock()
        self._later = _Later(self._submit_context)

    def submit(self, fn: Job, name: str = "job", lane: Lane = Lane.GENERAL) -> None:
        """Run fn soon; failures are logged, never raised into a request."""
        # Jobs log under the request id of the request that queued them.
        self._submit_context(contextvars.copy_context(), fn, name, lane)

    def later(self, delay: float, fn: Job, name: str = "job", lane: Lane = Lane.GENERAL) -> None:
        """Run fn after `delay` seconds (a graceful shutdown waits for it; see `shutdown`)."""
        self._later.add(time.monotonic() + delay, contextvars.copy_context(), fn, name, lane)

    def _submit_context(self, context: contextvars.Context, fn: Job, name: str, lane: Lane) -> None:
        def run() -> None:
            try:
                fn()
            except Exception:
                log.exception("background job failed", extra={"job": name})

        future = self._executors[lane].submit(context.run, run)
        with self._lock:
            self._pending.add(future)
        future.add_done_callback(self._done)

    def _done(self, future: Future[None]) -> None:
        with self._lock:
            self._pending.discard(future)

    def pending(self) -> int:
        """How many jobs are waiting, queued or running."""
        waiting = self._later.count()  # first: a due job is in the pool before it leaves here
        with self._lock:
            return waiting + len(self._pending)

    def shutdown(self, wait: bool = True, drain_timeout: float = DRAIN_TIMEOUT) -> None:
        """Stop; with wait, first let the work drain, delayed jobs included, at their time.

        Delayed work is short (a card's next update, a coalesced confirmation) and may queue
        more of its kind, so waiting for it to settle leaves cards and people up to date.
        Anything still delayed after `drain_timeout` runs at once.
        """
        if wait:
            deadline = time.monotonic() + drain_timeout
            while self.pending() and time.monotonic() < deadline:
                time.sleep(0.02)
        self._later.stop(run_now=wait)
        for executor in self._executors.values():
            executor.shutdown(wait=wait)


class _Later:
    """Delayed jobs: one timer thread (started on first use) hands them to the pool when due."""

    def __init__(self, submit: Callable[[contextvars.Context, Job, str, Lane], None]) -> None:
        self._submit = submit
        self._ready = threading.Condition()
        self._heap: list[tuple[float, int, contextvars.Context, Job, str, Lane]] = []
        self._order = itertools.count()
        self._thread: threading.Thread | None = None
        self._stopped = False

    def add(self, due: float, context: contextvars.Context, fn: Job, name: str, lane: Lane) -> None:
        with self._ready:
            if self._stopped:
                raise RuntimeError("cannot schedule new jobs after shutdown")
            heapq.heappush(self._heap, (due, next(self._order), context, fn, name, lane))
            if self._thread is None:
                self._thread = threading.Thread(target=self._run, name="job-timer", daemon=True)
                self._thread.start()
            self._ready.notify()

    def count(self) -> int:
        with self._ready:
            return len(self._heap)

    def stop(self, run_now: bool) -> None:
        with self._ready:
            self._stopped = True
            due, self._heap = sorted(self._heap, key=lambda item: item[:2]), []
            if run_now:
                for _, _, context, fn, name, lane in due:
                    self._submit(context, fn, name, lane)
            self._ready.notify()

    def _run(self) -> None:
        while True:
            with self._ready:
                while not self._stopped and (not self._heap or self._heap[0][0] > time.monotonic()):
                    timeout = self._heap[0][0] - time.monotonic() if self._heap else None
                    self._ready.wait(timeout)
                if self._stopped:
                    return
                _, _, context, fn, name, lane = heapq.heappop(self._heap)
                self._submit(context, fn, name, lane)
