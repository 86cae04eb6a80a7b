"""People's full names from Slack profiles, for cards and the outcome document."""

from __future__ import annotations

import logging

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError
from sqlalchemy.orm import Session, sessionmaker

from storage import people
from storage.sessions import transaction

log = logging.getLogger(__name__)


def refresh_name(client: WebClient, session_factory: sessionmaker[Session], user_id: str) -> None:
    """Look the person up with users.info and store their real name (best effort)."""
    try:
        user = client.users_info(user=user_id)["user"]
    except (SlackApiError, OSError, KeyError, TypeError) as error:
        log.info("users.info failed", extra={"user": user_id, "error": repr(error)})
        return
    profile = user.get("profile") or {}
    name = profile.get("real_name") or user.get("real_name") or profile.get("display_name")
    if isinstance(name, str) and name.strip():
        with transaction(session_factory) as session:
            people.rename(session, user_id, name)
