"""Messages in a card's thread, after the commit: reservations now (amendments and comments
can post the same way through ThreadPosts).

A reservation's thread message is owed from the commit that stored it until its ts is
recorded (storage.reservations: `thread_ts` NULL). The request that stored it posts it; if
Slack refuses, or the process dies first, the person is told (when possible) and the sweep
posts it later, backing off per reservation. A withdrawal's message is not kept as owed
(its row is gone): if Slack refuses it, the person is told; the card and the report show the
withdrawal regardless.
"""

from __future__ import annotations

import logging
import threading
import time
from dataclasses import dataclass, field
from typing import Any

from slack_sdk import WebClient
from sqlalchemy.orm import Session, sessionmaker

from bot.delivery.notices import Notices
from bot.slack.clients import Attempt, attempt
from bot.ui.render import render
from storage import reservations
from storage.reservations import Change, Outcome, Owed
from storage.sessions import transaction

log = logging.getLogger(__name__)

OWED_AFTER = 30.0  # seconds a new reservation's post is left to the request that stored it
BACKOFF_FIRST = 10.0  # seconds before the sweep tries a refused post again, doubling…
BACKOFF_MAX = 600.0  # …up to ten minutes


@dataclass(frozen=True)
class ThreadPosts:
    """Posts replies under a card."""

    client: WebClient  # patient: rides out 429s, 5xx and dropped connections

    def post(
        self,
        channel_id: str,
        card_ts: str,
        text: str,
        blocks: list[dict[str, Any]] | None = None,
        **context: object,
    ) -> Attempt[str]:
        """Post `text` (mrkdwn, already escaped; with `blocks`, its fallback) in the thread of
        the card at (channel, ts); the reply's ts, or why Slack refused it."""
        posted = attempt(
            "thread post failed",
            lambda: self.client.chat_postMessage(
                channel=channel_id, thread_ts=card_ts, text=text, blocks=blocks
            ),
            **context,
        )
        if posted.value is None:
            return Attempt(error=posted.error)
        return Attempt(value=str(posted.value["ts"]))


@dataclass
class ReservationPosts:
    """Shows reservation changes in their card's thread and tells the delegate what became
    of theirs."""

    session_factory: sessionmaker[Session]
    threads: ThreadPosts
    notices: Notices
    _next_try: dict[int, tuple[float, float]] = field(default_factory=dict)  # (when, wait)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def after_commit(self, outcome: Outcome, user_id: str, origin: str | None) -> None:
        """Post the change in the card's thread, remember the post, tell the person."""
        channel = outcome.channel_id or origin
        if outcome.change is Change.UNCHANGED:
            self.notices.ephemeral(channel, user_id, _told("recorded.j2", outcome, posted=False))
            return
        error = self._post(outcome)
        if error is None:
            text = _told("recorded.j2", outcome, posted=outcome.channel_id is not None)
        else:
            text = _told("not_posted.j2", outcome, error=error)
        self.notices.ephemeral(channel, user_id, text)

    def resume(self, now: float | None = None) -> None:
        """Post the messages owed to threads (the sweep), each refused one less and less often."""
        now = time.time() if now is None else now
        with transaction(self.session_factory) as session:
            due = reservations.owed(session, now=now, older_than=OWED_AFTER)
        for item in due:
            if self._waiting(item.reservation_id, now):
                continue
            self._post_owed(item)

    def _post(self, outcome: Outcome) -> str | None:
        """Post the change; None when done (or nothing to post), else why not."""
        if outcome.channel_id is None or outcome.card_ts is None:
            return None  # no card yet: the sweep posts it once the card is there
        if outcome.change is Change.WITHDRAWN:
            text = render(
                "reservation/withdrawn.j2",
                delegation=outcome.delegation_name,
                number=outcome.number,
            )
        else:
            text = render(
                "reservation/thread.j2",
                delegation=outcome.delegation_name,
                text=outcome.text,
                changed=outcome.change is Change.CHANGED,
            )
        posted = self.threads.post(outcome.channel_id, outcome.card_ts, text, card=outcome.number)
        if posted.value is None:
            return posted.error or "unknown"
        if outcome.reservation_id is not None and outcome.text is not None:
            self._mark(outcome.reservation_id, outcome.text, posted.value)
        return None

    def _post_owed(self, item: Owed) -> None:
        text = render(
            "reservation/thread.j2", delegation=item.delegation_name, text=item.text, changed=False
        )
        posted = self.threads.post(
            item.channel_id, item.card_ts, text, reservation=item.reservation_id
        )
        if posted.value is None:
            self._back_off(item.reservation_id)
            return
        self._mark(item.reservation_id, item.text, posted.value)

    def _mark(self, reservation_id: int, text: str, ts: str) -> None:
        with transaction(self.session_factory) as session:
            reservations.mark_posted(session, reservation_id, text, ts)
        with self._lock:
            self._next_try.pop(reservation_id, None)

    def _waiting(self, reservation_id: int, now: float) -> bool:
        with self._lock:
            entry = self._next_try.get(reservation_id)
        return entry is not None and entry[0] > now

    def _back_off(self, reservation_id: int) -> None:
        with self._lock:
            entry = self._next_try.get(reservation_id)
            wait = BACKOFF_FIRST if entry is None else min(BACKOFF_MAX, 2 * entry[1])
            self._next_try[reservation_id] = (time.time() + wait, wait)


def _told(template: str, outcome: Outcome, **values: object) -> str:
    return render(
        f"reservation/{template}",
        change=outcome.change.value,
        delegation=outcome.delegation_name,
        number=outcome.number,
        **values,
    )
