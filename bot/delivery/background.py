"""This instance's durable side: who it is, its heartbeat, and the jobs it runs when due."""

from __future__ import annotations

import os
import socket
from collections.abc import Mapping

from sqlalchemy.orm import Session, sessionmaker

from bot.delivery import sweep
from bot.delivery.scheduler import Handler, Scheduler
from storage import instances


def new_instance_id() -> str:
    """A fresh id for this process (a gunicorn worker, a Socket Mode process, a test app)."""
    return instances.new_instance_id(socket.gethostname(), os.getpid())


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

    def start(self) -> None:
        """Heartbeat, sweep every few seconds, and run whatever else falls due."""
        self.scheduler.every(sweep.KIND, "all", sweep.EVERY)
        self.scheduler.start()

    def stop(self) -> None:
        """Stop the threads and let the others take over what this instance held, at once."""
        self.scheduler.stop()
