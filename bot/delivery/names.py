"""People's names and emails from Slack profiles: for cards, the document and the participant list.

`users.info` gives a person's full name and email. With the email the person is matched to
their row of the participant list (storage.participants), which confirms their delegation.
This happens after `/wg rapporteur`, `/wg country` and `/wg seat`, and after anyone's first
request (`FirstUse`), and never again once they are matched.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from slack_sdk import WebClient
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, sessionmaker

from bot.logs import REQUEST_ID
from bot.slack.clients import attempt
from storage import participants, people
from storage.actors import Actor
from storage.sessions import snapshot, transaction

log = logging.getLogger(__name__)

RETRY_AFTER = 30.0  # seconds before a person not matched yet is looked at again
MEMORY_MAX = 50_000  # people remembered per process; past that, forgotten all at once


def refresh_name(client: WebClient, session_factory: sessionmaker[Session], user_id: str) -> None:
    """Look the person up with users.info: store their real name and email, match them to
    the participant list (best effort)."""
    profile = _profile(client, user_id)
    if profile is not None:
        _store(session_factory, user_id, profile)


@dataclass(frozen=True)
class Profile:
    """What users.info says of a person that the app keeps."""

    name: str | None
    email: str | None


def _profile(client: WebClient, user_id: str) -> Profile | None:
    found = attempt(
        "users.info failed",
        lambda: client.users_info(user=user_id),
        level=logging.INFO,
        user=user_id,
    )
    user = found.value.get("user") if found.value is not None else None
    if not isinstance(user, dict):
        return None
    profile = user.get("profile") or {}
    name = profile.get("real_name") or user.get("real_name") or profile.get("display_name")
    email = profile.get("email")
    return Profile(
        name=name.strip() if isinstance(name, str) and name.strip() else None,
        email=email.strip() if isinstance(email, str) and "@" in email else None,
    )


def _store(session_factory: sessionmaker[Session], user_id: str, profile: Profile) -> None:
    """Store the name and email; match the person to the list if a row waits for the email."""
    if profile.name is None and profile.email is None:
        return
    with transaction(session_factory) as session:
        if profile.name is not None:
            people.rename(session, user_id, profile.name)
        if profile.email is not None:
            participants.note_email(session, user_id, profile.email)
    if profile.email is not None:
        _match(session_factory, user_id, profile.email)


def _match(session_factory: sessionmaker[Session], user_id: str, email: str) -> None:
    """Match the person to a waiting row with their email, in a transaction of its own."""
    actor = Actor(user_id, request_id=REQUEST_ID.get())
    try:
        with transaction(session_factory) as session:
            matched = participants.match(session, actor=actor, user_id=user_id, email=email)
    except IntegrityError:  # matched at the same moment elsewhere (an import, an instance)
        log.info("participant already matched", extra={"user": user_id})
        return
    if matched is not None:
        log.info("participant matched", extra={"user": user_id})


@dataclass
class Lookups:
    """Slack accounts found by email (users.lookupByEmail), and why the lookups stopped, if so."""

    found: dict[str, str] = field(default_factory=dict)  # email → user id
    failure: str | None = None  # e.g. missing_scope, invalid_auth: the rest were not looked up


def look_up_emails(client: WebClient, emails: Iterable[str]) -> Lookups:
    """Find each email's Slack account; an unknown email is simply not found.

    Any other refusal (a missing scope, a bad token, no connection) stops the lookups: it
    would refuse every one of them.
    """
    lookups = Lookups()
    for email in emails:
        answer = attempt(
            "users.lookupByEmail failed",
            lambda email=email: client.users_lookupByEmail(email=email),
            level=logging.INFO,
        )
        if answer.error == "users_not_found":
            continue
        if answer.error is not None:
            lookups.failure = answer.error
            break
        user = answer.value.get("user") if answer.value is not None else None
        if not isinstance(user, dict) or user.get("is_bot") or user.get("deleted"):
            continue
        if isinstance(user.get("id"), str):
            lookups.found[email] = user["id"]
    return lookups


@dataclass
class FirstUse:
    """Matches each person to the participant list after their first request.

    Once a person is matched, or their email is known (a later import then matches them by
    it), they are never looked at again: no query, no Web API call per click. Until then
    they are looked at again at most every `retry_after` seconds (one small read), and
    `users.info` is called only while the list has rows waiting for a match. Remembered per
    process: each worker looks once.
    """

    client: WebClient
    session_factory: sessionmaker[Session]
    retry_after: float = RETRY_AFTER
    clock: Callable[[], float] = time.monotonic
    _settled: set[str] = field(default_factory=set)
    _tried: dict[str, float] = field(default_factory=dict)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def due(self, user_id: str) -> bool:
        """Whether the person should be looked at after this request (no I/O)."""
        if user_id in self._settled:
            return False
        tried = self._tried.get(user_id)
        return tried is None or self.clock() - tried >= self.retry_after

    def __call__(self, user_id: str) -> None:
        """Look at the person once: match them if the list waits for their email."""
        with self._lock:
            if not self.due(user_id):
                return  # another request's job got here first
            if len(self._tried) >= MEMORY_MAX:
                self._tried.clear()
            self._tried[user_id] = self.clock()
        with snapshot(self.session_factory) as session:  # a read: no writer waits for it
            standing = participants.standing(session, user_id)
        if standing.listed:
            self._settle(user_id)
            return
        if standing.email is not None:
            # Their email is known: matched now if a row waits for it, and any later
            # import matches them by it (storage.roster_import.known_accounts).
            if standing.waiting:
                _match(self.session_factory, user_id, standing.email)
            self._settle(user_id)
            return
        if not standing.waiting:
            return  # nothing to match them to yet: looked at again after `retry_after`
        profile = _profile(self.client, user_id)
        if profile is not None and profile.email is not None:
            _store(self.session_factory, user_id, profile)
            self._settle(user_id)

    def _settle(self, user_id: str) -> None:
        with self._lock:
            if len(self._settled) >= MEMORY_MAX:
                self._settled.clear()
            self._settled.add(user_id)
            self._tried.pop(user_id, None)
