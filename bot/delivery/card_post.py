"""Posting a recommendation's card: once, even when a post's answer is lost.

Every card is posted with message metadata naming its recommendation. A post that failed
after Slack may have acted on it (a 5xx, a dropped connection, a process killed mid-call)
is never repeated blindly: the channel's history is searched for the card first.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Any

from slack_sdk import WebClient
from sqlalchemy.orm import Session, sessionmaker

from bot.delivery.cards import CardUpdates
from bot.delivery.notices import Notices
from bot.slack.clients import Attempt, attempt
from bot.slack.ids import CARD_METADATA
from bot.ui.card import card_blocks, card_text
from bot.ui.render import render
from storage import cards, recommendations
from storage.models import as_utc
from storage.sessions import transaction

POST_LEASE = 120.0  # seconds the slot is held while posting (a dead holder frees it sooner)
RETRY_LATER = 30.0  # seconds before a refused post is tried again by the sweep
LOOK_BACK = 60.0  # seconds before the submission where the search for its card starts
HISTORY_PAGES = 20  # pages of 200 messages searched at the most
POST_ATTEMPTS = 3  # posts tried (each after a look in the history) before the sweep takes over


@dataclass(frozen=True)
class CardPosts:
    """Posts cards and tells their submitters where they are (or why they are not)."""

    session_factory: sessionmaker[Session]
    client: WebClient  # patient: reading the history
    once: WebClient  # posting: never retried blindly
    notices: Notices
    updates: CardUpdates
    owner: str | None = None  # this instance, holding the card's slot while it posts

    def post(
        self,
        recommendation_id: int,
        channel_id: str,
        user_id: str,
        origin: str | None,
        *,
        look_first: bool = False,
    ) -> None:
        """Post the card unless it is there already, remember where, and tell the submitter.

        `look_first` (the sweep, after a crash or a refusal): search the channel for the card
        before posting. Nothing happens if another worker holds the card's slot.
        """
        now = time.time()
        lease = now + POST_LEASE
        with transaction(self.session_factory) as session:
            if not cards.try_lease(
                session, recommendation_id, now=now, until=lease, owner=self.owner
            ):
                return  # posted already, or being posted elsewhere
            state = cards.card_state(session, recommendation_id)
        if state.message_ts is not None:
            self._give_back(recommendation_id, lease, 0.0)
            return
        found = self._deliver(state, channel_id, now, look_first=look_first)
        if found.value is None:
            self._give_back(recommendation_id, lease, time.time() + RETRY_LATER)
            if not look_first:
                text = render("recommend/card_failed.j2", number=state.number, error=found.error)
                self.notices.ephemeral(origin, user_id, text)
            return
        with transaction(self.session_factory) as session:
            recommendations.set_card(session, recommendation_id, channel_id, found.value)
            cards.mark_shown(session, recommendation_id, state.version, lease=lease)
            stale = cards.is_stale(session, recommendation_id)
        text = render("recommend/posted.j2", number=state.number, channel_id=channel_id)
        self.notices.ephemeral(origin or channel_id, user_id, text)
        if stale:
            self.updates.refresh(recommendation_id)

    def _deliver(
        self, state: cards.CardState, channel_id: str, now: float, *, look_first: bool
    ) -> Attempt[str | None]:
        """The card's ts: found in the channel, or posted now; else why neither."""
        if look_first:
            found = self._find(channel_id, state.recommendation_id, now)
            if not found.ok or found.value is not None:
                return found
        error = None
        for attempt_number in range(1, POST_ATTEMPTS + 1):
            posted = attempt(
                "card not posted",
                lambda: self.once.chat_postMessage(
                    channel=channel_id,
                    text=card_text(state),
                    blocks=card_blocks(state),
                    metadata=_metadata(state.recommendation_id),
                ),
                card=state.number,
            )
            if posted.value is not None:
                return Attempt(value=str(posted.value["ts"]))
            error = posted.error
            if not posted.may_have_acted:
                break  # Slack refused it: nothing was posted, and trying again changes nothing
            # It may have reached Slack all the same (a 5xx, a dropped answer): look first,
            # and post again only once the channel is known not to have it.
            found = self._find(channel_id, state.recommendation_id, now)
            if found.value is not None:
                return found
            if not found.ok:
                break
            if attempt_number < POST_ATTEMPTS:
                time.sleep(0.5 * 2**attempt_number)
        return Attempt(error=error)

    def _find(self, channel_id: str, recommendation_id: int, now: float) -> Attempt[str | None]:
        """The ts of the recommendation's card in the channel, if Slack has it."""
        with transaction(self.session_factory) as session:
            created = recommendations.get(session, recommendation_id).created_at
        submitted = as_utc(created).timestamp()
        oldest = f"{min(submitted, now) - LOOK_BACK:.6f}"

        def search() -> str | None:
            return _search(self.client, channel_id, recommendation_id, oldest)

        found = attempt("card lookup failed", search)
        if found.error == "not_in_channel":
            # Posting needs no membership (chat:write.public), reading the history does.
            joined = attempt(
                "channel not joined", lambda: self.client.conversations_join(channel=channel_id)
            )
            if joined.ok:
                found = attempt("card lookup failed", search)
        return found

    def _give_back(self, recommendation_id: int, lease: float, retry_at: float) -> None:
        with transaction(self.session_factory) as session:
            cards.release_lease(session, recommendation_id, lease, retry_at=retry_at)


def _metadata(recommendation_id: int) -> dict[str, Any]:
    return {"event_type": CARD_METADATA, "event_payload": {"recommendation_id": recommendation_id}}


def _search(client: WebClient, channel_id: str, recommendation_id: int, oldest: str) -> str | None:
    cursor = None
    for _ in range(HISTORY_PAGES):
        page = client.conversations_history(
            channel=channel_id, oldest=oldest, limit=200, include_all_metadata=True, cursor=cursor
        )
        for message in page.get("messages") or []:
            metadata = message.get("metadata") or {}
            payload = metadata.get("event_payload") or {}
            if (
                metadata.get("event_type") == CARD_METADATA
                and payload.get("recommendation_id") == recommendation_id
            ):
                return str(message["ts"])
        cursor = (page.get("response_metadata") or {}).get("next_cursor")
        if not cursor:
            return None
    return None
