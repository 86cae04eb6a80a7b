"""Editing, withdrawing and restoring a recommendation (the card's `Edit…` and `Withdraw`,
`/wg restore`).

Edit: its author, while the group is open; a new version (every earlier one kept), unless
nothing changed. Withdraw: its author, the group's rapporteur or an organizer, while the
group is open; its votes are kept and no longer count, and amendments still awaiting a
decision are withdrawn with it. Restore: an organizer, while the group is open; a withdrawn
(or merged) recommendation is open again. Each is audited.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.orm import Session

from storage import audit
from storage.actors import Actor
from storage.amendment_views import Closed
from storage.amendments import close_pending
from storage.errors import NotPermitted, VotingClosed
from storage.limits import RATIONALE_MAX, TEXT_MAX, TITLE_MAX, clean_optional, clean_required
from storage.models import Cause, TextStatus, utcnow
from storage.recommendations import get
from storage.texts import (
    Refusal,
    Refused,
    Voter,
    by_number,
    lock,
    new_version,
    number_of,
    require_decider,
    require_open,
    voters,
)


@dataclass(frozen=True)
class EditForm:
    """What the edit form opens with: the text standing now, and its version."""

    recommendation_id: int
    number: str
    title: str | None
    text: str
    rationale: str | None
    version: int


@dataclass(frozen=True)
class Changed:
    """A recommendation whose text changed (or not), as what follows the commit needs it."""

    recommendation_id: int
    number: str
    version: int
    changed: bool
    voters: tuple[Voter, ...] = ()  # who had voted before the change, to be told
    channel_id: str | None = None  # where its card is
    closed: tuple[Closed, ...] = ()  # amendments closed by a withdrawal, their messages to update
    others: tuple[int, ...] = ()  # other recommendations whose cards changed with it


def edit_form(session: Session, *, actor: Actor, recommendation_id: int) -> EditForm:
    """What the author's edit form shows; raises Refused, VotingClosed, NotFound."""
    rec = get(session, recommendation_id)
    _require_author(actor, rec.author_user_id, rec.number)
    require_open(session, rec)
    return EditForm(rec.id, rec.number, rec.title, rec.text, rec.rationale, rec.version)


def edit(
    session: Session,
    *,
    actor: Actor,
    recommendation_id: int,
    base_version: int,
    text: str | None,
    title: str | None,
    rationale: str | None,
) -> Changed:
    """Store the author's edit as the next version; the same title, text and rationale again
    change nothing. Raises InvalidInput, Refused (not the author; withdrawn, merged; the text
    changed since the form opened), VotingClosed, NotFound."""
    text = clean_required("text", text, TEXT_MAX)
    title = clean_optional("title", title, TITLE_MAX)
    rationale = clean_optional("rationale", rationale, RATIONALE_MAX)
    rec = get(session, recommendation_id)
    _require_author(actor, rec.author_user_id, rec.number)
    lock(session, rec)
    require_open(session, rec)
    if rec.version != base_version:
        raise Refused(Refusal.CHANGED, number=rec.number, version=rec.version)
    if (rec.text, rec.title, rec.rationale) == (text, title, rationale):
        return Changed(rec.id, rec.number, rec.version, False, channel_id=rec.channel_id)
    earlier = voters(session, rec)
    previous = rec.version
    version = new_version(
        session,
        rec,
        actor=actor,
        text=text,
        title=title,
        rationale=rationale,
        cause=Cause.EDIT,
        delegation=rec.country_code,
    )
    audit.record(
        session,
        actor=actor,
        action="edit",
        group_key=rec.group.key,
        target=rec.number,
        version=version,
        previous=previous,
    )
    session.flush()
    return Changed(rec.id, rec.number, version, True, earlier, rec.channel_id)


def withdrawable(session: Session, *, actor: Actor, recommendation_id: int) -> str:
    """Check the actor may withdraw it now; its number. Raises Refused, VotingClosed."""
    rec = get(session, recommendation_id)
    require_decider(actor, rec, "withdraw")
    require_open(session, rec)
    return rec.number


def withdraw(session: Session, *, actor: Actor, recommendation_id: int) -> Changed:
    """Withdraw it: its card says so and loses its buttons, its votes are kept and no longer
    count, its pending amendments are withdrawn. Raises Refused (not its author, rapporteur
    or an organizer; already withdrawn or merged), VotingClosed, NotFound."""
    rec = get(session, recommendation_id)
    require_decider(actor, rec, "withdraw")
    lock(session, rec)
    require_open(session, rec)
    rec.status, rec.status_by, rec.status_at = TextStatus.WITHDRAWN.value, actor.user_id, utcnow()
    closed = close_pending(session, rec, actor=actor)
    audit.record(
        session, actor=actor, action="withdraw", group_key=rec.group.key, target=rec.number
    )
    session.flush()
    return Changed(rec.id, rec.number, rec.version, True, channel_id=rec.channel_id, closed=closed)


def restore(session: Session, *, actor: Actor, number: str) -> Changed:
    """`/wg restore EE-3` (organizers): a withdrawn or merged recommendation is open again,
    its votes counting again. Raises NotPermitted, Refused (unknown number; not withdrawn or
    merged), VotingClosed."""
    if not actor.is_organizer:
        raise NotPermitted(action="/wg restore", needed="organizer")
    rec = lock(session, by_number(session, number))
    if not rec.group.is_open:
        raise VotingClosed(group=rec.group.name)
    if rec.status == TextStatus.OPEN:
        raise Refused(Refusal.NOT_WITHDRAWN, number=rec.number)
    was, target, others = rec.status, number_of(session, rec), ()
    if rec.merged_into_id is not None:  # its card stops saying `Also covers`
        others = (lock(session, get(session, rec.merged_into_id)).id,)
    rec.status, rec.status_by, rec.status_at = TextStatus.OPEN.value, None, None
    rec.merged_into_id = None
    audit.record(
        session,
        actor=actor,
        action="restore",
        group_key=rec.group.key,
        target=rec.number,
        was=was,
        merged_into=target,
    )
    session.flush()
    return Changed(rec.id, rec.number, rec.version, True, channel_id=rec.channel_id, others=others)


def _require_author(actor: Actor, author: str, number: str) -> None:
    if actor.user_id != author:
        raise Refused(Refusal.NOT_AUTHOR, number=number)
