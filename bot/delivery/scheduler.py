"""Runs the database's due jobs (storage.schedule) on this instance, once each across instances.

Every instance runs a Scheduler. A pass claims the due jobs in one short transaction, runs
each job's handler outside any transaction, then records the outcome in another: done,
pending again later (a failure, retried with backoff; or recurring work), or failed. A
second thread heartbeats, so that the other instances take over this one's jobs within
seconds should it die (storage.instances), and not while a long handler runs.
"""

from __future__ import annotations

import logging
import os
import socket
import threading
from collections.abc import Callable, Mapping
from datetime import datetime, timedelta

from sqlalchemy.orm import Session, sessionmaker

from storage import instances
from storage import schedule as jobs
from storage.models import utcnow
from storage.schedule import ScheduledJob
from storage.sessions import transaction

log = logging.getLogger(__name__)

Handler = Callable[[ScheduledJob], None]
Clock = Callable[[], datetime]

HEARTBEAT_INTERVAL = 5.0  # seconds; an instance silent for 15 s is dead (storage.instances)
BATCH = 20
# A job of a kind this instance has no handler for is left to the others (a rolling
# deploy runs two versions at once) until it is this overdue; then it fails here, retried
# with backoff like any failure, its error naming the kind.
UNKNOWN_KIND_GRACE = timedelta(seconds=30)


def backoff(attempts: int) -> timedelta:
    """How long to wait before retrying a job that failed `attempts` times: 5 s, 15 s, 45 s…"""
    return timedelta(seconds=min(5 * 3 ** max(attempts - 1, 0), 900))


class Scheduler:
    """Claims and runs due jobs with `handlers` (one per kind); see `run_due` and `start`."""

    def __init__(
        self,
        session_factory: sessionmaker[Session],
        handlers: Mapping[str, Handler],
        *,
        instance_id: str,
        clock: Clock = utcnow,
        poll_interval: float = 1.0,
        lease: timedelta = timedelta(seconds=60),
        heartbeat_interval: float = HEARTBEAT_INTERVAL,
        batch: int = BATCH,
        retry_after: Callable[[int], timedelta] = backoff,
    ) -> None:
        self.session_factory = session_factory
        self.handlers = dict(handlers)
        self.instance_id = instance_id
        self.clock = clock
        self.poll_interval = poll_interval
        self.lease = lease
        self.heartbeat_interval = heartbeat_interval
        self.batch = batch
        self.retry_after = retry_after
        self._recurring: dict[tuple[str, str], timedelta] = {}
        self._registered = False
        self._stop = threading.Event()
        self._threads: list[threading.Thread] = []

    def every(self, kind: str, key: str, seconds: float) -> None:
        """Run (kind, key) every `seconds`: scheduled now unless already pending or running,
        and scheduled again `seconds` after each run ends (after a failure too)."""
        if kind not in self.handlers:
            raise ValueError(f"no handler for recurring kind {kind!r}")
        self._recurring[(kind, key)] = timedelta(seconds=seconds)
        with transaction(self.session_factory) as session:
            jobs.ensure(session, kind=kind, key=key, due_at=self.clock())

    def heartbeat(self) -> None:
        """Tell the other instances this one is alive (registering it the first time)."""
        now = self.clock()
        with transaction(self.session_factory) as session:
            if not instances.heartbeat(session, instance_id=self.instance_id, now=now):
                instances.register(
                    session,
                    instance_id=self.instance_id,
                    host=socket.gethostname(),
                    pid=os.getpid(),
                    now=now,
                )
        self._registered = True

    def run_due(self) -> int:
        """Claim the jobs due now, run them, record each outcome; return how many ran."""
        if not self._registered:
            # Claims by an instance the others do not know would look abandoned at once.
            self.heartbeat()
        with transaction(self.session_factory) as session:
            claimed = jobs.claim_due(
                session,
                now=self.clock(),
                instance_id=self.instance_id,
                lease=self.lease,
                limit=self.batch,
                kinds=self.handlers,
                others_after=UNKNOWN_KIND_GRACE,
            )
        for job in claimed:
            self._run(job)
        return len(claimed)

    def _run(self, job: ScheduledJob) -> None:
        handler = self.handlers.get(job.kind)
        every = self._recurring.get((job.kind, job.key))
        if handler is None:
            error = f"no handler for kind {job.kind!r} on instance {self.instance_id}"
            log.error("scheduled job failed: %s", error, extra=_describe(job))
            self._failed(job, error, every)
            return
        try:
            handler(job)
        except Exception as exc:
            log.exception("scheduled job failed; it will be retried", extra=_describe(job))
            self._failed(job, f"{type(exc).__name__}: {exc}", every)
            return
        now = self.clock()
        with transaction(self.session_factory) as session:
            held = jobs.finish(
                session,
                job_id=job.id,
                instance_id=self.instance_id,
                now=now,
                reschedule_at=None if every is None else now + every,
            )
        if not held:
            log.warning("scheduled job outlived its lease", extra=_describe(job))

    def _failed(self, job: ScheduledJob, error: str, every: timedelta | None) -> None:
        now = self.clock()
        # Recurring work keeps its rhythm and never gives up; the doctor reports one that
        # keeps failing. Other work backs off, then fails for good.
        delay = self.retry_after(job.attempts) if every is None else every
        with transaction(self.session_factory) as session:
            jobs.fail(
                session,
                job_id=job.id,
                instance_id=self.instance_id,
                error=error,
                retry_at=now + delay,
                now=now,
                max_attempts=None if every is not None else jobs.MAX_ATTEMPTS,
            )

    # -- the background threads ------------------------------------------------------

    def start(self) -> None:
        """Heartbeat and run due jobs every `poll_interval` seconds, in daemon threads."""
        if self._threads:
            return
        self._stop.clear()
        self.heartbeat()
        self._threads = [
            threading.Thread(target=self._beat, name="scheduler-heartbeat", daemon=True),
            threading.Thread(target=self._loop, name="scheduler", daemon=True),
        ]
        for thread in self._threads:
            thread.start()

    def stop(self, timeout: float = 10.0, *, forget: bool = True) -> None:
        """Stop the threads (a handler under way finishes first); forget this instance.

        Forgetting frees whatever it still holds (e.g. card leases) for the others at once.
        """
        self._stop.set()
        threads, self._threads = self._threads, []
        for thread in threads:
            thread.join(timeout)
        if forget and not any(thread.is_alive() for thread in threads):
            with transaction(self.session_factory) as session:
                instances.forget(session, instance_id=self.instance_id)
            self._registered = False

    def _loop(self) -> None:
        while not self._stop.is_set():
            ran = 0
            try:
                ran = self.run_due()
            except Exception:
                log.exception("scheduler pass failed")
            if ran < self.batch:
                self._stop.wait(self.poll_interval)

    def _beat(self) -> None:
        while not self._stop.wait(self.heartbeat_interval):
            try:
                self.heartbeat()
            except Exception:
                log.exception("scheduler heartbeat failed")


def _describe(job: ScheduledJob) -> dict[str, object]:
    return {"job_kind": job.kind, "job_key": job.key, "job_id": job.id, "attempts": job.attempts}
