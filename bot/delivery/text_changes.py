"""After a recommendation's text or standing changed (committed): voters told privately, an
amendment's message posted in its card's thread (its ts recorded) or brought up to date."""

from __future__ import annotations

import logging
import time
from collections.abc import Iterable
from dataclasses import dataclass, field

from slack_sdk import WebClient
from sqlalchemy.orm import Session, sessionmaker

from bot.delivery.notices import Notices
from bot.delivery.threads import ThreadPosts
from bot.slack.clients import attempt
from bot.ui.amendment import thread_message
from bot.ui.render import render
from storage import amendment_views
from storage.amendment_views import AmendmentView
from storage.sessions import transaction
from storage.texts import Voter

log = logging.getLogger(__name__)

OWED_AFTER = 30.0  # seconds a new amendment's post is left to the request that stored it
BACKOFF_FIRST = 10.0  # seconds before the sweep tries a refused post again, doubling…
BACKOFF_MAX = 600.0  # …up to ten minutes


@dataclass(frozen=True)
class TextChanges:
    """Tells and shows what a change to a recommendation's text did."""

    session_factory: sessionmaker[Session]
    client: WebClient  # patient: rides out 429s, 5xx and dropped connections
    threads: ThreadPosts
    notices: Notices
    _retry: dict[int, tuple[float, float]] = field(default_factory=dict)  # (when, wait)

    def tell_voters(
        self, channel_id: str | None, voters: Iterable[Voter], template: str, **values: object
    ) -> int:
        """Tell each earlier voter privately (`template` gets their `choice`); how many."""
        told = 0
        for voter in voters:
            text = render(template, choice=voter.choice.value, **values)
            if channel_id:
                told += self.notices.ephemeral(channel_id, voter.user_id, text)
            else:
                told += self.notices.direct(voter.user_id, text)
        return told

    def post_amendment(self, amendment: AmendmentView, user_id: str, origin: str | None) -> None:
        """Post a proposed amendment in its card's thread, remember where, tell its proposer."""
        error = self._post(amendment)
        posted = error is None
        told = render("amendment/proposed.j2", number=amendment.number, posted=posted, error=error)
        self.notices.ephemeral(amendment.channel_id or origin, user_id, told)

    def _post(self, amendment: AmendmentView) -> str | None:
        """Post it and remember where; None when done, else why not (the sweep tries again)."""
        if not (amendment.channel_id and amendment.card_ts):
            return "no card yet"
        text, blocks = thread_message(amendment)
        posted = self.threads.post(
            amendment.channel_id, amendment.card_ts, text, blocks, amendment=amendment.number
        )
        if posted.value is None:
            return posted.error or "unknown"
        with transaction(self.session_factory) as session:
            amendment_views.mark_posted(
                session, amendment.amendment_id, amendment.channel_id, posted.value
            )
        return None

    def resume(self, now: float | None = None) -> None:
        """Post the amendments owed to threads (the sweep), each refused one less and less
        often; their proposers were told when the first post failed."""
        now = time.time() if now is None else now
        with transaction(self.session_factory) as session:
            due = amendment_views.owed(session, now=now, older_than=OWED_AFTER)
        for amendment in due:
            waiting = self._retry.get(amendment.amendment_id)
            if waiting is not None and waiting[0] > now:
                continue
            if self._post(amendment) is None:
                self._retry.pop(amendment.amendment_id, None)
                continue
            wait = BACKOFF_FIRST if waiting is None else min(BACKOFF_MAX, 2 * waiting[1])
            self._retry[amendment.amendment_id] = (now + wait, wait)

    def show_decision(
        self, amendment: AmendmentView, *, version: int | None = None, because: str | None = None
    ) -> None:
        """Replace the amendment's buttons in its thread message by what became of it."""
        if not (amendment.channel_id and amendment.thread_ts):
            return  # never posted: nothing to update
        text, blocks = thread_message(amendment, version=version, because=because)
        attempt(
            "amendment message not updated",
            lambda: self.client.chat_update(
                channel=amendment.channel_id, ts=amendment.thread_ts, text=text, blocks=blocks
            ),
            amendment=amendment.number,
        )
