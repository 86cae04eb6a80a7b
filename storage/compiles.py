"""Who may compile which outcome document, and the record that they did."""

from __future__ import annotations

from sqlalchemy.orm import Session

from storage import audit
from storage.actors import Actor
from storage.groups import require_group_for_channel, require_organizer, require_rapporteur


def authorize(
    session: Session, *, actor: Actor, channel_id: str, whole_workshop: bool
) -> str | None:
    """The group key to compile (None for the whole workshop); raises NotPermitted.

    The whole workshop is for organizers; a group's document is for its rapporteur or an
    organizer, in the group's channel.
    """
    if whole_workshop:
        require_organizer(actor, "compile all")
        return None
    group = require_group_for_channel(session, channel_id)
    require_rapporteur(actor, group, "compile")
    return group.key


def record_compile(
    session: Session,
    *,
    actor: Actor,
    group_key: str | None,
    recommendations: int,
    file_id: str | None,
) -> None:
    """Note in the audit log that an outcome document was compiled and delivered."""
    audit.record(
        session,
        actor=actor,
        action="compile",
        group_key=group_key,
        target=file_id,
        recommendations=recommendations,
    )
    session.flush()
