"""Keeping cards up to date, coalesced: at most about one chat.update per card per second.

The slot to update a card is a lease stored with the recommendation, so it holds across
threads, worker processes and instances. Whoever takes the lease renders the latest tally,
waits out the lease, and renders again if votes arrived meanwhile; whoever finds the lease
taken leaves the work to its holder. The last update always shows the final counts.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable

from slack_sdk.errors import SlackApiError

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
    """Bring the card up to date unless another worker holds its update slot."""
    interval = interval or services.settings.card_update_interval
    for _ in range(MAX_ROUNDS):
        now = time.time()
        with transaction(services.session_factory) as session:
            if not cards.try_lease(session, recommendation_id, now=now, until=now + interval):
                return
            state = cards.card_state(session, recommendation_id)
        if state.channel_id is None or state.message_ts is None:
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
        cards.try_lease(session, recommendation_id, now=float("inf"), until=0.0)
