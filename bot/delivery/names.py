"""People's full names from Slack profiles, for cards and the outcome document."""

from __future__ import annotations

import logging

from slack_sdk import WebClient
from sqlalchemy.orm import Session, sessionmaker

from bot.slack.clients import attempt
from storage import people
from storage.sessions import transaction

log = logging.getLogger(__name__)


def refresh_name(client: WebClient, session_factory: sessionmaker[Session], user_id: str) -> None:
    """Look the person up with users.info and store their real name (best effort)."""
    found = attempt(
        "users.info failed",
        lambda: client.users_info(user=user_id),
        level=logging.INFO,
        user=user_id,
    )
    user = found.value.get("user") if found.value is not None else None
    if not isinstance(user, dict):
        return
    profile = user.get("profile") or {}
    name = profile.get("real_name") or user.get("real_name") or profile.get("display_name")
    if isinstance(name, str) and name.strip():
        with transaction(session_factory) as session:
            people.rename(session, user_id, name)
