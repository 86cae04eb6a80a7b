"""Work that runs after the acknowledgement, on a bounded thread pool with its own sessions."""

from __future__ import annotations

import contextvars
import logging
import threading
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor

log = logging.getLogger(__name__)


class Jobs:
    """A thread pool for post-commit work; `shutdown` lets in-flight work finish."""

    def __init__(self, workers: int = 16) -> None:
        self._executor = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="job")
        self._pending: set[Future[None]] = set()
        self._lock = threading.Lock()

    def submit(self, fn: Callable[[], None], name: str = "job") -> None:
        """Run fn later; failures are logged, never raised into a request."""

        def run() -> None:
            try:
                fn()
            except Exception:
                log.exception("background job failed", extra={"job": name})

        # Jobs log under the request id of the request that queued them.
        future = self._executor.submit(contextvars.copy_context().run, run)
        with self._lock:
            self._pending.add(future)
        future.add_done_callback(self._done)

    def _done(self, future: Future[None]) -> None:
        with self._lock:
            self._pending.discard(future)

    def pending(self) -> int:
        """How many jobs are queued or running."""
        with self._lock:
            return len(self._pending)

    def shutdown(self, wait: bool = True) -> None:
        """Stop taking work; with wait, let queued and running jobs finish."""
        self._executor.shutdown(wait=wait)
