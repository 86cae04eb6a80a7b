"""The long-lived things listeners use, built once by the app factory."""

from __future__ import annotations

from dataclasses import dataclass, field

from slack_sdk import WebClient
from sqlalchemy.orm import Session, sessionmaker

from bot.delivery.coalescer import Coalescer
from bot.delivery.jobs import Jobs
from bot.runtime.ballot_box import BallotBox
from bot.runtime.channel_hints import ChannelGroups
from bot.settings import Settings
from bot.slack.ratelimits import RateLimits
from storage.actors import Actor
from storage.votes import VoteResult

# Whom a confirmation goes to: (channel id or None, user id).
Recipient = tuple[str | None, str]


@dataclass
class Services:
    """Settings, database, background jobs and Web API clients of one app instance."""

    settings: Settings
    session_factory: sessionmaker[Session]
    jobs: Jobs
    client: WebClient  # patient: for work after the ack
    quick_client: WebClient  # quick: for calls before the ack
    paced_client: WebClient  # for coalesced messages: a 429 comes back instead of sleeping
    rate_limits: RateLimits = field(default_factory=RateLimits)
    channel_groups: ChannelGroups = field(default_factory=ChannelGroups)  # hints for forms
    ballots: BallotBox = field(init=False)  # votes, written in shared transactions
    confirmations: Coalescer[Recipient, VoteResult] = field(init=False)

    def __post_init__(self) -> None:
        self.ballots = BallotBox(self.session_factory)
        self.confirmations = Coalescer(
            self.jobs, self.settings.vote_confirmation_interval, "vote confirmation"
        )

    def actor(self, user_id: str, name: str | None, request_id: str | None) -> Actor:
        """The acting person with their organizer role from the settings."""
        return Actor(
            user_id=user_id,
            is_organizer=user_id in self.settings.organizer_user_ids,
            name=name,
            request_id=request_id,
        )
