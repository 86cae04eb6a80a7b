"""Telling one person something, privately, after the request."""

from __future__ import annotations

from dataclasses import dataclass

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot.delivery.coalescer import DeliverLater
from bot.slack.clients import attempt
from bot.slack.outbound import Outbound
from bot.slack.ratelimits import retry_after

EPHEMERAL = "chat.postEphemeral"


@dataclass(frozen=True)
class Notices:
    """Private messages: ephemeral in a channel where possible, else a direct message."""

    slack: Outbound

    def ephemeral(self, channel_id: str | None, user_id: str, text: str) -> bool:
        """Post an ephemeral message (falls back to a DM); False if Slack refused both."""
        return self._post(self.slack.client, channel_id, user_id, text, paced=False)

    def paced_ephemeral(self, channel_id: str | None, user_id: str, text: str) -> bool:
        """Like `ephemeral`, for coalesced messages: raise DeliverLater while Slack rate-limits.

        The first 429 closes chat.postEphemeral for this process for the Retry-After Slack
        gave, so a burst's other confirmations wait (and gather their voters' later clicks)
        instead of each being refused in turn. Any other refusal falls back to a DM.
        """
        wait = self.slack.rate_limits.wait(EPHEMERAL)
        if wait > 0:
            raise DeliverLater(wait)
        return self._post(self.slack.paced, channel_id, user_id, text, paced=True)

    def direct(self, user_id: str, text: str) -> bool:
        """A direct message from the app; False if Slack refused it."""
        sent = attempt(
            "direct message failed",
            lambda: self.slack.client.chat_postMessage(channel=user_id, text=text),
        )
        return sent.ok

    def _post(
        self, client: WebClient, channel_id: str | None, user_id: str, text: str, *, paced: bool
    ) -> bool:
        if channel_id:

            def post() -> object:
                try:
                    return client.chat_postEphemeral(channel=channel_id, user=user_id, text=text)
                except SlackApiError as error:
                    after = retry_after(error) if paced else None
                    if after is None:
                        raise
                    self.slack.rate_limits.note(EPHEMERAL, after)
                    raise DeliverLater(after) from error

            if attempt("ephemeral failed", post).ok:
                return True
        return self.direct(user_id, text)
