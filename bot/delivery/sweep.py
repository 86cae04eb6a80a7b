"""The sweep: finds after-commit work left undone (a crash, a refusal) and does it again.

Nothing is queued per vote: a card whose record moved ahead of what it shows is itself the
pending work, and so is a recommendation with no card, and a compile request whose
instance died. The sweep runs every few seconds on one instance at a time (a recurring
scheduler job), and leaves alone whatever a live instance holds.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

from sqlalchemy.orm import Session, sessionmaker

from bot.delivery.card_post import CardPosts
from bot.delivery.cards import CardUpdates
from bot.delivery.compile import Compiles
from bot.delivery.text_changes import TextChanges
from bot.delivery.threads import ReservationPosts
from storage import cards
from storage.schedule import ScheduledJob
from storage.sessions import transaction

KIND = "sweep"
EVERY = 5.0  # seconds between two sweeps
UNPOSTED_AFTER = 10.0  # seconds a new card is left to the request that stored it


@dataclass(frozen=True)
class Sweep:
    """One pass over cards not posted, cards behind their record, and orphaned compiles."""

    session_factory: sessionmaker[Session]
    posts: CardPosts
    updates: CardUpdates
    compiles: Compiles
    reservations: ReservationPosts | None = None  # thread messages owed (bot.delivery.threads)
    amendments: TextChanges | None = None  # amendments' thread messages owed

    def __call__(self, job: ScheduledJob | None = None) -> None:
        """Post the cards that are missing, update the ones behind, resume lost compiles, post
        the reservations and amendments owed to cards' threads."""
        now = time.time()
        with transaction(self.session_factory) as session:
            missing = cards.unposted(session, now=now, older_than=UNPOSTED_AFTER)
            behind = cards.behind(session, now=now)
        for card in missing:
            self.posts.post(
                card.recommendation_id, card.channel_id, card.author_user_id, None, look_first=True
            )
        for recommendation_id in behind:
            self.updates.refresh(recommendation_id)
        self.compiles.resume_abandoned()
        if self.reservations is not None:
            self.reservations.resume(now)
        if self.amendments is not None:
            self.amendments.resume(now)
