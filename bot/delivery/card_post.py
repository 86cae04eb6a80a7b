"""Posting a new recommendation's card, after its submission is committed."""

from __future__ import annotations

import logging

from slack_sdk.errors import SlackApiError

from bot.delivery.cards import refresh_card
from bot.delivery.notices import ephemeral
from bot.runtime.services import Services
from bot.slack.clients import failure_reason
from bot.ui.card import card_blocks, card_text
from bot.ui.render import render
from storage import cards, recommendations
from storage.database import transaction

log = logging.getLogger(__name__)


def post_card(
    services: Services, recommendation_id: int, channel_id: str, user_id: str, origin: str | None
) -> None:
    """Post the card, remember where it is, and tell the submitter (or why it failed)."""
    with transaction(services.session_factory) as session:
        state = cards.card_state(session, recommendation_id)
    try:
        posted = services.client.chat_postMessage(
            channel=channel_id, text=card_text(state), blocks=card_blocks(state)
        )
    except (SlackApiError, OSError) as error:  # OSError: timeouts, resets after the retries
        reason = failure_reason(error)
        log.warning("card not posted", extra={"card": state.number, "error": reason})
        ephemeral(
            services,
            origin,
            user_id,
            render("recommend/card_failed.j2", number=state.number, error=reason),
        )
        return
    with transaction(services.session_factory) as session:
        recommendations.set_card(session, recommendation_id, posted["channel"], posted["ts"])
        cards.mark_shown(session, recommendation_id, state.version)
        stale = cards.is_stale(session, recommendation_id)
    ephemeral(
        services,
        origin or posted["channel"],
        user_id,
        render("recommend/posted.j2", number=state.number, channel_id=posted["channel"]),
    )
    if stale:
        refresh_card(services, recommendation_id)
