"""The app's way out to Slack: its Web API clients, one per kind of call, and its rate limits."""

from __future__ import annotations

from dataclasses import dataclass, field

from slack_sdk import WebClient

from bot.slack.clients import background_client, once_client, paced_client, request_client
from bot.slack.ratelimits import RateLimits


@dataclass(frozen=True)
class Outbound:
    """One instance's Web API clients, each made for when it is used."""

    client: WebClient  # patient: work after the ack rides out 429s, 5xx and resets
    quick: WebClient  # before the ack (views.open): answers well within 3 s
    paced: WebClient  # coalesced messages: a 429 comes back instead of sleeping
    once: WebClient  # posts that must not be repeated blindly: no retry after a 5xx
    rate_limits: RateLimits = field(default_factory=RateLimits)

    @classmethod
    def connect(cls, token: str, base_url: str) -> Outbound:
        """Clients for the bot token against a Web API base URL (Slack, GovSlack, emulator)."""
        return cls(
            client=background_client(token, base_url),
            quick=request_client(token, base_url),
            paced=paced_client(token, base_url),
            once=once_client(token, base_url),
        )
