"""This instance's durable side: who it is, its heartbeat, and the jobs it runs when due."""

from __future__ import annotations

import logging
import os
import socket
import threading
from collections.abc import Mapping

from sqlalchemy.orm import Session, sessionmaker

from bot.delivery import sweep
from bot.delivery.scheduler import Handler, Scheduler
from storage import instances

log = logging.getLogger(__name__)


def new_instance_id() -> str:
    """A fresh id for this process (a gunicorn worker, a Socket Mode process, a test app)."""
    return instances.new_instance_id(socket.gethostname(), os.getpid())


RETRY_START = 5.0  # seconds between attempts to start while the database does not answer


class Background:
    """Starts and stops the scheduler, with the sweep as a recurring job."""

    def __init__(
        self,
        session_factory: sessionmaker[Session],
        instance_id: str,
        handlers: Mapping[str, Handler],
    ) -> None:
        self.instance_id = instance_id
        self.scheduler = Scheduler(session_factory, handlers, instance_id=instance_id)
        self._stopped = threading.Event()
        self._starter: threading.Thread | None = None

    def start(self) -> None:
        """Heartbeat, sweep every few seconds, and run whatever else falls due.

        Returns at once: a database that does not answer yet (or has no schema yet) is
        tried again every few seconds, and the app serves meanwhile.
        """
        if self._starter is None:
            self._starter = threading.Thread(target=self._start, name="background", daemon=True)
            self._starter.start()

    def stop(self) -> None:
        """Stop the threads and let the others take over what this instance held, at once."""
        self._stopped.set()
        if self._starter is None:
            return
        self._starter.join(RETRY_START + 5)
        try:
            self.scheduler.stop()
        except Exception:  # the database went away: the others see this instance go silent
            log.exception("background work not stopped cleanly")

    def _start(self) -> None:
        while not self._stopped.is_set():
            try:
                self.scheduler.every(sweep.KIND, "all", sweep.EVERY)
                self.scheduler.start()
                return
            except Exception:
                log.exception("background work not started yet; trying again")
            self._stopped.wait(RETRY_START)
