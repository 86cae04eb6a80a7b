"""Keeping cards up to date, coalesced: at most about one chat.update per card per second.

The slot to update a card is a lease stored with the recommendation, so it holds across
threads, worker processes and instances. Whoever takes the lease renders the latest tally,
and when the lease ends renders again if votes arrived meanwhile; whoever finds the lease
taken leaves the work to its holder. The last update always shows the final counts.

Within a process a second layer keeps a burst off the database: from the first click until
the card is quiet, one piece of work owns the card, and further clicks only mark it. The
owner takes the lease (or finds it held elsewhere), then comes back once per interval on
the job pool's timer, never sleeping in a thread: with the lease, it renders again if the
tally moved; without, it tries the lease again if clicks were marked. So a click costs a
dictionary lookup, and a card costs at most one lease attempt per interval per process.
"""

from __future__ import annotations

import enum
import logging
import threading
import time
from collections.abc import Callable

from slack_sdk import WebClient
from sqlalchemy.orm import Session, sessionmaker

from bot.delivery.jobs import Jobs, Lane
from bot.slack.clients import attempt
from bot.ui.card import card_blocks, card_text
from storage import cards
from storage.sessions import transaction

log = logging.getLogger(__name__)

OnFailure = Callable[[str], None] | None

# How long a card's slot is held while its update is under way. A chat.update may ride out
# 429s and retries (bot.slack.clients) for far longer than the interval between updates; were
# the slot free meanwhile, another process could show a newer tally that the slow call,
# landing last, would then cover with an older one. Once the update is done, the slot is
# handed on at the usual interval from its start. Only a process that dies mid-update holds
# it longer.
UPDATE_LEASE = 120.0
RETRY_LATER = 5.0  # seconds before a card Slack refused to update is tried again


class CardUpdates:
    """Brings cards up to date after their record changed, coalesced per card."""

    def __init__(
        self,
        session_factory: sessionmaker[Session],
        jobs: Jobs,
        client: WebClient,
        interval: float,
        owner: str | None = None,
    ) -> None:
        self.session_factory = session_factory
        self.jobs = jobs
        self.client = client
        self.interval = interval
        self.owner = owner  # this instance, named on the slots it holds
        self._active = _Active()

    def refresh(self, recommendation_id: int, *, on_failure: OnFailure = None) -> None:
        """Have the card brought up to date on the job pool, unless this process is on it.

        `on_failure(number)` runs if Slack refuses the update (the person who voted is told).
        """
        if self._active.start(recommendation_id):
            _Owner(self, recommendation_id, on_failure).soon()

    def show(self, recommendation_id: int, on_failure: OnFailure) -> _Step:
        """Take the lease and update the card to the tally it should show."""
        now = time.time()
        lease = now + UPDATE_LEASE  # held until the update is done, then handed on
        with transaction(self.session_factory) as session:
            if not cards.try_lease(
                session, recommendation_id, now=now, until=lease, owner=self.owner
            ):
                return _Step.BUSY
            state = cards.card_state(session, recommendation_id)
        if state.channel_id is None or state.message_ts is None:
            self._release(recommendation_id, lease)
            return _Step.STOP  # not posted yet: posting renders the latest tally
        updated = attempt(
            "card update failed",
            lambda: self.client.chat_update(
                channel=state.channel_id,
                ts=state.message_ts,
                text=card_text(state),
                blocks=card_blocks(state),
            ),
            card=state.number,
        )
        if not updated.ok:
            if on_failure is not None:
                on_failure(state.number)
            self._release(recommendation_id, lease, retry_at=time.time() + RETRY_LATER)
            return _Step.STOP
        with transaction(self.session_factory) as session:
            cards.mark_shown(
                session, recommendation_id, state.version, lease=lease, free_at=now + self.interval
            )
        return _Step.SHOWN

    def is_stale(self, recommendation_id: int) -> bool:
        """Whether the card shows an older state than the record holds."""
        with transaction(self.session_factory) as session:
            return cards.is_stale(session, recommendation_id)

    def _release(self, recommendation_id: int, lease: float, retry_at: float = 0.0) -> None:
        with transaction(self.session_factory) as session:
            cards.release_lease(session, recommendation_id, lease, retry_at=retry_at)


class _Step(enum.Enum):
    SHOWN = "shown"  # this process holds the lease and showed the tally
    BUSY = "busy"  # the lease is held elsewhere, or the card is up to date
    STOP = "stop"  # the card is not posted yet, or Slack refused the update


class _Owner:
    """The one piece of work that keeps a card up to date in this process."""

    def __init__(self, updates: CardUpdates, recommendation_id: int, on_failure: OnFailure) -> None:
        self.updates = updates
        self.active = updates._active
        self.recommendation_id = recommendation_id
        self.on_failure = on_failure

    def soon(self) -> None:
        self.updates.jobs.submit(self._guarded(self.attempt), "card update", Lane.CARDS)

    def later(self, step: Callable[[], None]) -> None:
        self.updates.jobs.later(
            self.updates.interval, self._guarded(step), "card update", Lane.CARDS
        )

    def _guarded(self, step: Callable[[], None]) -> Callable[[], None]:
        def run() -> None:
            try:
                step()
            except BaseException:
                self.active.forget(self.recommendation_id)
                raise

        return run

    def attempt(self) -> None:
        """Take the lease and show the tally; come back when the lease ends."""
        step = self.updates.show(self.recommendation_id, self.on_failure)
        if step is _Step.SHOWN:
            self.later(self.lease_ended)
        elif step is _Step.BUSY:
            self.later(self.quiet_or_again)  # hold the card, so clicks meanwhile only mark it
        else:
            self.active.forget(self.recommendation_id)

    def lease_ended(self) -> None:
        """Votes committed while the lease ran show now; otherwise see if clicks came since."""
        if self.updates.is_stale(self.recommendation_id):
            self.attempt()
        else:
            self.quiet_or_again()

    def quiet_or_again(self) -> None:
        """Let the card go if no click came since the last pass; else try again."""
        if not self.active.finish(self.recommendation_id):
            self.attempt()


class _Active:
    """The cards this process is refreshing, and whether clicks arrived since each began."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._again: dict[int, bool] = {}

    def start(self, recommendation_id: int) -> bool:
        """Claim the card; False if a job has it (which will then make one more pass)."""
        with self._lock:
            if recommendation_id in self._again:
                self._again[recommendation_id] = True
                return False
            self._again[recommendation_id] = False
            return True

    def finish(self, recommendation_id: int) -> bool:
        """Let go of the card, unless clicks arrived during the pass (then go again)."""
        with self._lock:
            if self._again.get(recommendation_id):
                self._again[recommendation_id] = False
                return False
            self._again.pop(recommendation_id, None)
            return True

    def forget(self, recommendation_id: int) -> None:
        """Let go of the card after a failure."""
        with self._lock:
            self._again.pop(recommendation_id, None)
