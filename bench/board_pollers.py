"""Open boards for bench.board: each polls its page as the board's script does."""

from __future__ import annotations

import http.client
import random
import threading
import time
from typing import Any

from bench.measure import latency_summary


class Boards:
    """`count` open boards, each asking every `interval` s whether its page changed."""

    def __init__(self, port: int, path: str, count: int, interval: float) -> None:
        self.port, self.path, self.count, self.interval = port, path, count, interval
        self._stop = threading.Event()
        self._lock = threading.Lock()
        self._threads: list[threading.Thread] = []
        self.latencies: list[float] = []
        self.statuses: dict[str, int] = {}
        self.errors = 0

    def start(self) -> None:
        """Open every board (each loads the page once, then polls)."""
        rng = random.Random(7)
        for _ in range(self.count):
            delay = rng.uniform(0, self.interval)
            thread = threading.Thread(target=self._board, args=(delay,), daemon=True)
            thread.start()
            self._threads.append(thread)

    def reset(self) -> None:
        """Forget what was counted so far (the measured window starts now)."""
        with self._lock:
            self.latencies, self.statuses, self.errors = [], {}, 0

    def stop(self) -> None:
        """Close every board."""
        self._stop.set()
        for thread in self._threads:
            thread.join(timeout=30)

    def _board(self, delay: float) -> None:
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
        etag = ""
        if self._stop.wait(delay):
            return
        while not self._stop.is_set():
            started = time.perf_counter()
            headers = {"If-None-Match": etag} if etag else {}
            try:
                connection.request("GET", self.path, headers=headers)
                response = connection.getresponse()
                response.read()
                status = response.status
                etag = response.getheader("ETag") or etag
            except (OSError, http.client.HTTPException):
                connection.close()
                with self._lock:
                    self.errors += 1
                status = 0
            took = time.perf_counter() - started
            if status:
                with self._lock:
                    self.latencies.append(took)
                    self.statuses[str(status)] = self.statuses.get(str(status), 0) + 1
            self._stop.wait(max(0.0, self.interval - took))
        connection.close()

    def summary(self, seconds: float) -> dict[str, Any]:
        """What the boards got during the measured window."""
        with self._lock:
            polls = len(self.latencies)
            return {
                "polls": polls,
                "polls_per_s": polls / seconds if seconds else 0.0,
                "statuses": dict(self.statuses),
                "errors": self.errors,
                **latency_summary(self.latencies),
            }
