"""Test data written to the database through storage's own operations."""

from __future__ import annotations

from sqlalchemy.orm import Session

from storage import groups, people, recommendations
from storage.actors import Actor
from storage.models import Recommendation
from storage.recommendations import Draft

ORGANIZER = Actor("UORG1", is_organizer=True, name="Organizer One")
RAPPORTEUR = Actor("URAP1", name="Rapporteur One")


def delegate(user_id: str = "UDEL1", name: str | None = None) -> Actor:
    """A delegate with no special role."""
    return Actor(user_id, name=name or f"Delegate {user_id}")


def linked_group(session: Session, key: str = "e-evidence", channel: str = "CEE") -> None:
    """Link a channel and appoint RAPPORTEUR."""
    groups.link_channel(session, actor=ORGANIZER, channel_id=channel, group_key=key)
    groups.appoint_rapporteur(
        session,
        actor=ORGANIZER,
        channel_id=channel,
        user_id=RAPPORTEUR.user_id,
        user_name=RAPPORTEUR.name,
    )


def submitted(
    session: Session,
    author: Actor | None = None,
    *,
    text: str = "Preserve electronic evidence across borders within 24 hours.",
    key: str = "e-evidence",
    country: str | None = "VN",
    submission_key: str | None = None,
) -> Recommendation:
    """A stored recommendation by `author`."""
    author = author or delegate()
    if country:
        people.set_country(session, actor=author, code=country)
    rec, _ = recommendations.submit(
        session, actor=author, draft=Draft(group_key=key, text=text), submission_key=submission_key
    )
    return rec
