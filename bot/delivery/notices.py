"""Telling one person something, privately, after the request."""

from __future__ import annotations

import logging

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot.delivery.coalescer import DeliverLater
from bot.runtime.services import Services
from bot.slack.clients import failure_reason
from bot.slack.ratelimits import retry_after

log = logging.getLogger(__name__)

EPHEMERAL = "chat.postEphemeral"


def ephemeral(services: Services, channel_id: str | None, user_id: str, text: str) -> bool:
    """Post an ephemeral message (falls back to a DM); False if Slack refused both."""
    return _post(services, services.client, channel_id, user_id, text, paced=False)


def paced_ephemeral(services: Services, channel_id: str | None, user_id: str, text: str) -> bool:
    """Like `ephemeral`, for coalesced messages: raise DeliverLater while Slack rate-limits.

    The first 429 closes chat.postEphemeral for this process for the Retry-After Slack gave,
    so a burst's other confirmations wait (and gather their voters' later clicks) instead of
    each being refused in turn. Any other refusal falls back to a DM, as `ephemeral` does.
    """
    wait = services.rate_limits.wait(EPHEMERAL)
    if wait > 0:
        raise DeliverLater(wait)
    return _post(services, services.paced_client, channel_id, user_id, text, paced=True)


def _post(
    services: Services,
    client: WebClient,
    channel_id: str | None,
    user_id: str,
    text: str,
    *,
    paced: bool,
) -> bool:
    try:
        if channel_id:
            client.chat_postEphemeral(channel=channel_id, user=user_id, text=text)
            return True
    except (SlackApiError, OSError) as error:  # OSError: timeouts, resets after the retries
        after = retry_after(error) if paced and isinstance(error, SlackApiError) else None
        if after is not None:
            services.rate_limits.note(EPHEMERAL, after)
            raise DeliverLater(after) from error
        log.warning("ephemeral failed", extra={"error": failure_reason(error)})
    return _direct_message(services, user_id, text)


def _direct_message(services: Services, user_id: str, text: str) -> bool:
    try:
        services.client.chat_postMessage(channel=user_id, text=text)
        return True
    except (SlackApiError, OSError) as error:
        log.warning("direct message failed", extra={"error": failure_reason(error)})
        return False
