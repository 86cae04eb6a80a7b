"""Telling one person something, privately, after the request."""

from __future__ import annotations

import logging

from slack_sdk.errors import SlackApiError

from bot.services import Services

log = logging.getLogger(__name__)


def ephemeral(services: Services, channel_id: str | None, user_id: str, text: str) -> bool:
    """Post an ephemeral message (falls back to a DM); False if Slack refused both."""
    try:
        if channel_id:
            services.client.chat_postEphemeral(channel=channel_id, user=user_id, text=text)
            return True
    except SlackApiError as error:
        log.warning("ephemeral failed", extra={"error": str(error.response.get("error"))})
    try:
        services.client.chat_postMessage(channel=user_id, text=text)
        return True
    except SlackApiError as error:
        log.warning("direct message failed", extra={"error": str(error.response.get("error"))})
        return False
