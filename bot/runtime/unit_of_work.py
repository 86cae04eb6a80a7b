"""One owner per transaction: each Slack request gets a session, committed after its listener."""

from __future__ import annotations

import itertools
import logging
import os
import time
from typing import Any

from slack_bolt import App, BoltRequest, BoltResponse
from sqlalchemy.orm import Session, sessionmaker

from bot.delivery.background import Background
from bot.delivery.jobs import Job, Jobs
from bot.delivery.notices import Notices
from bot.logs import REQUEST_ID
from bot.runtime.errors import reply_for
from bot.runtime.followups import Followups
from bot.slack.parse import user_of
from bot.web.board import BoardPages
from storage.actors import Actor

log = logging.getLogger(__name__)

# Request ids: random per process, then a counter (unique across instances, and cheap).
_PROCESS_ID = os.urandom(4).hex()
_SERIAL = itertools.count(1)


def _new_process() -> None:
    global _PROCESS_ID, _SERIAL
    _PROCESS_ID, _SERIAL = os.urandom(4).hex(), itertools.count(1)


os.register_at_fork(after_in_child=_new_process)  # gunicorn forks its workers


class RapporteurApp(App):
    """A Bolt app whose dispatch wraps every request in one database transaction.

    Bolt's global middleware runs before the listener and cannot commit after it, so the
    unit of work lives here: open a session, dispatch (the listener acks and calls one
    operation), commit — or roll back if the error handler flagged a failure — and only
    then start the Web API calls the request queued.
    """

    def __init__(
        self,
        *,
        session_factory: sessionmaker[Session],
        jobs: Jobs,
        notices: Notices,
        organizers: frozenset[str],
        **bolt: Any,
    ) -> None:
        super().__init__(**bolt)
        self.session_factory = session_factory
        self.jobs = jobs
        self.notices = notices
        self.organizers = organizers
        self.background: Background | None = None  # set by the app factory
        self.board: BoardPages | None = None  # the plenary board's pages, likewise

    def dispatch(self, req: BoltRequest) -> BoltResponse:
        """Dispatch inside a transaction; queued jobs start after it ends."""
        session = self.session_factory()
        followups = Followups()
        request_id = _request_id(req)
        user_id, user_name = user_of(req.body if isinstance(req.body, dict) else {})
        req.context["session"] = session
        req.context["followups"] = followups
        req.context["request_id"] = request_id
        if user_id:
            req.context["actor"] = Actor(
                user_id=user_id,
                is_organizer=user_id in self.organizers,
                name=user_name,
                request_id=request_id,
            )
        token = REQUEST_ID.set(request_id)  # log lines, jobs included, carry the request id
        try:
            response, jobs = self._in_transaction(req, session, followups)
            for name, job in jobs:
                self.jobs.submit(job, name)  # copies the context: the request id goes along
            return _answered(req, response)
        finally:
            REQUEST_ID.reset(token)

    def _in_transaction(
        self, req: BoltRequest, session: Session, followups: Followups
    ) -> tuple[BoltResponse, list[tuple[str, Job]]]:
        """Dispatch, then commit or roll back; the jobs to start after the transaction."""
        started = time.perf_counter()
        used = True
        try:
            response = super().dispatch(req)
            if followups.failed or response.status >= 500:
                session.rollback()
                jobs = followups.always
            else:
                # A vote's request never touches this session (bot.runtime.ballot_box writes it):
                # no commit, and nothing to close either.
                used = session.in_transaction()
                if used:
                    session.commit()
                jobs = followups.after_commit + followups.always
        except Exception as error:  # e.g. the commit itself failed: nothing was stored
            session.rollback()
            body = req.body if isinstance(req.body, dict) else {}
            response = reply_for(error, req, body, self.notices)
            jobs = followups.always
        finally:
            if used:
                session.close()
            log.debug(
                "request handled",
                extra={"ms": round(1000 * (time.perf_counter() - started), 1)},
            )
        return response, jobs


def _answered(req: BoltRequest, response: BoltResponse) -> BoltResponse:
    """Over Socket Mode only a 200 is acknowledged, and Slack re-sends an envelope it got no
    ack for: one refused or not routable (an unknown action) is acknowledged all the same."""
    if response.status >= 400 and req.mode == "socket_mode":
        return BoltResponse(status=200, body="")
    return response


def _request_id(req: BoltRequest) -> str:
    body = req.body if isinstance(req.body, dict) else {}
    event_id = body.get("event_id")
    if isinstance(event_id, str) and event_id:
        return event_id
    return f"{_PROCESS_ID}{next(_SERIAL):08x}"
