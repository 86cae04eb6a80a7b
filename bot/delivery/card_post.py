"""Posting a new recommendation's card, after its submission is committed."""

from __future__ import annotations

from dataclasses import dataclass

from slack_sdk import WebClient
from sqlalchemy.orm import Session, sessionmaker

from bot.delivery.cards import CardUpdates
from bot.delivery.notices import Notices
from bot.slack.clients import attempt
from bot.ui.card import card_blocks, card_text
from bot.ui.render import render
from storage import cards, recommendations
from storage.sessions import transaction


@dataclass(frozen=True)
class CardPosts:
    """Posts cards and tells their submitters where they are (or why they are not)."""

    session_factory: sessionmaker[Session]
    client: WebClient
    notices: Notices
    updates: CardUpdates

    def post(
        self, recommendation_id: int, channel_id: str, user_id: str, origin: str | None
    ) -> None:
        """Post the card, remember where it is, and tell the submitter (or why it failed)."""
        with transaction(self.session_factory) as session:
            state = cards.card_state(session, recommendation_id)
        posted = attempt(
            "card not posted",
            lambda: self.client.chat_postMessage(
                channel=channel_id, text=card_text(state), blocks=card_blocks(state)
            ),
            card=state.number,
        )
        if posted.value is None:
            text = render("recommend/card_failed.j2", number=state.number, error=posted.error)
            self.notices.ephemeral(origin, user_id, text)
            return
        channel, ts = posted.value["channel"], posted.value["ts"]
        with transaction(self.session_factory) as session:
            recommendations.set_card(session, recommendation_id, channel, ts)
            cards.mark_shown(session, recommendation_id, state.version)
            stale = cards.is_stale(session, recommendation_id)
        text = render("recommend/posted.j2", number=state.number, channel_id=channel)
        self.notices.ephemeral(origin or channel, user_id, text)
        if stale:
            self.updates.refresh(recommendation_id)
