"""The queue SQLite writers wait in: one write slot per database file, across processes."""

from __future__ import annotations

import fcntl
import os
import sqlite3
import threading
import time
import weakref

SQLITE_BUSY_TIMEOUT_MS = 15_000


class WriterQueue:
    """The writers of one SQLite file, queued in the kernel instead of polling.

    SQLite's busy handler retries a locked database with growing sleeps, so in a burst of
    clicks a writer can sleep through moments when the lock is free. Every transaction here
    (they all BEGIN IMMEDIATE) first takes this lock instead: a thread lock within the
    process, then an exclusive flock on `<database>-writer.lock` shared by all processes. A
    waiter wakes the moment the holder commits or rolls back; the kernel drops the flock of
    a process that dies. SQLite's busy timeout stays as the fallback for anything else
    opening the file.
    """

    def __init__(self, lock_path: str, timeout: float) -> None:
        self.lock_path = lock_path
        self.timeout = timeout
        self._mutex = threading.Lock()
        self._fd: int | None = None
        self.connection_class = self._connection_class()

    @classmethod
    def of(cls, database: str) -> WriterQueue:
        """The queue of a database file, shared by every engine on it in this process."""
        lock_path = os.path.realpath(database) + "-writer.lock"
        with _QUEUES_LOCK:
            queue = _QUEUES.get(lock_path)
            if queue is None:
                queue = _QUEUES[lock_path] = cls(lock_path, SQLITE_BUSY_TIMEOUT_MS / 1000)
            return queue

    def _after_fork(self) -> None:
        # The child needs its own thread lock and its own open file: a flock belongs to the
        # open file, which parent and child would otherwise share.
        self._mutex = threading.Lock()
        if self._fd is not None:
            os.close(self._fd)
            self._fd = None

    def acquire(self) -> None:
        """Wait for the write slot; raises sqlite3.OperationalError after the busy timeout."""
        deadline = time.monotonic() + self.timeout
        if not self._mutex.acquire(timeout=self.timeout):
            raise sqlite3.OperationalError("database is locked")
        try:
            if self._fd is None:
                self._fd = os.open(self.lock_path, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o600)
            # Only one thread per process gets here, so polling the cross-process lock is
            # cheap; it keeps the wait bounded like SQLite's own busy timeout.
            while True:
                try:
                    fcntl.flock(self._fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                    return
                except BlockingIOError:
                    if time.monotonic() > deadline:
                        raise sqlite3.OperationalError("database is locked") from None
                    time.sleep(0.0005)
        except BaseException:
            self._mutex.release()
            raise

    def release(self) -> None:
        """Hand the write slot to the next waiter."""
        try:
            if self._fd is not None:
                fcntl.flock(self._fd, fcntl.LOCK_UN)
        finally:
            self._mutex.release()

    def _connection_class(self) -> type[sqlite3.Connection]:
        """A sqlite3 connection class that frees the slot whenever its transaction ends."""
        queue = self

        class QueuedConnection(sqlite3.Connection):
            holds_slot = False

            def begin_immediate(self) -> None:
                queue.acquire()
                self.holds_slot = True
                try:
                    self.execute("BEGIN IMMEDIATE")
                except BaseException:
                    self._end()
                    raise

            def commit(self) -> None:
                try:
                    super().commit()
                finally:
                    self._end()

            def rollback(self) -> None:
                try:
                    super().rollback()
                finally:
                    self._end()

            def close(self) -> None:
                try:
                    super().close()  # SQLite rolls back whatever was open
                finally:
                    self._end(closed=True)

            def _end(self, closed: bool = False) -> None:
                if self.holds_slot and (closed or not self._in_transaction()):
                    self.holds_slot = False
                    queue.release()

            def _in_transaction(self) -> bool:
                try:
                    return self.in_transaction
                except sqlite3.ProgrammingError:  # closed
                    return False

        return QueuedConnection


_QUEUES: weakref.WeakValueDictionary[str, WriterQueue] = weakref.WeakValueDictionary()
_QUEUES_LOCK = threading.Lock()


def _reset_queues_after_fork() -> None:
    global _QUEUES_LOCK
    _QUEUES_LOCK = threading.Lock()
    for queue in list(_QUEUES.values()):
        queue._after_fork()


os.register_at_fork(after_in_child=_reset_queues_after_fork)
