"""Keeping cards up to date, coalesced: at most about one chat.update per card per second.

The slot to update a card is a lease stored with the recommendation, so it holds across
threads, worker processes and instances. Whoever takes the lease renders the latest tally,
waits out the lease, and renders again if votes arrived meanwhile; whoever finds the lease
taken leaves the work to its holder. The last update always shows the final counts.

Within a process a second layer keeps a burst off the database: while one job refreshes a
card, a click on it only marks the card again, and that job makes one more pass when it is
done. So a click costs a dictionary lookup instead of a write transaction for the lease.
"""

from __future__ import annotations

import logging
import threading
import time
import weakref
from collections.abc import Callable

from slack_sdk.errors import SlackApiError
from sqlalchemy.orm import Session, sessionmaker

from bot.blocks.card import card_blocks, card_text
from bot.services import Services
from storage import cards
from storage.database import transaction

log = logging.getLogger(__name__)

MAX_ROUNDS = 120  # a card in a two-minute burst; then the next vote starts a new round


def refresh_card(
    services: Services,
    recommendation_id: int,
    *,
    interval: float | None = None,
    on_failure: Callable[[str], None] | None = None,
) -> None:
    """Bring the card up to date unless another job or worker is already doing it."""
    active = _active(services.session_factory)
    if not active.start(recommendation_id):
        return
    try:
        while True:
            _refresh(services, recommendation_id, interval, on_failure)
            if active.finish(recommendation_id):
                return
    except BaseException:
        active.forget(recommendation_id)
        raise


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


# One registry per database: several apps (tests, the demo) may share a process.
_REGISTRY: weakref.WeakKeyDictionary[sessionmaker[Session], _Active] = weakref.WeakKeyDictionary()
_REGISTRY_LOCK = threading.Lock()


def _active(factory: sessionmaker[Session]) -> _Active:
    with _REGISTRY_LOCK:
        active = _REGISTRY.get(factory)
        if active is None:
            active = _REGISTRY[factory] = _Active()
        return active


def _refresh(
    services: Services,
    recommendation_id: int,
    interval: float | None,
    on_failure: Callable[[str], None] | None,
) -> None:
    """Update the card while it is stale and this process holds its lease."""
    interval = interval or services.settings.card_update_interval
    for _ in range(MAX_ROUNDS):
        now = time.time()
        with transaction(services.session_factory) as session:
            if not cards.try_lease(session, recommendation_id, now=now, until=now + interval):
                return
            state = cards.card_state(session, recommendation_id)
        if state.channel_id is None or state.message_ts is None:
            _release(services, recommendation_id)
            return  # not posted yet: posting renders the latest tally
        try:
            services.client.chat_update(
                channel=state.channel_id,
                ts=state.message_ts,
                text=card_text(state),
                blocks=card_blocks(state),
            )
        except SlackApiError as error:
            reason = str(error.response.get("error") or error.response.status_code)
            log.warning("card update failed", extra={"card": state.number, "error": reason})
            if on_failure is not None:
                on_failure(state.number)
            _release(services, recommendation_id)
            return
        with transaction(services.session_factory) as session:
            cards.mark_shown(session, recommendation_id, state.version)
        time.sleep(max(0.0, now + interval - time.time()))
        with transaction(services.session_factory) as session:
            if not cards.is_stale(session, recommendation_id):
                return


def _release(services: Services, recommendation_id: int) -> None:
    with transaction(services.session_factory) as session:
        cards.release_lease(session, recommendation_id)
