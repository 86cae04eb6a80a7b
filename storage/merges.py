"""Merging: a recommendation that says what another says is merged into it.

The group's rapporteur or an organizer merges one open recommendation into another open one
of the same group, while the group is open (the card's `Merge into…`, or
`/wg merge EE-5 into EE-2` in the group's channel). The merged one's votes are kept and no
longer count; its voters are told; its pending amendments are withdrawn; the one it went
into covers it (`Also covers EE-5`), and whatever it covered. Audited.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from storage import audit
from storage.actors import Actor
from storage.amendment_views import Closed
from storage.amendments import close_pending
from storage.groups import require_group_for_channel, require_rapporteur
from storage.models import Recommendation, TextStatus, utcnow
from storage.recommendations import get
from storage.texts import Refusal, Refused, Voter, by_number, lock, require_open, voters

ACTION = "Merge into…"  # how refusals name the action
COMMAND = "/wg merge"


@dataclass(frozen=True)
class Target:
    """A recommendation another may be merged into."""

    recommendation_id: int
    number: str
    title: str | None
    text: str


@dataclass(frozen=True)
class MergeForm:
    """What the merge form offers: the group's other open recommendations."""

    recommendation_id: int
    number: str
    targets: tuple[Target, ...]


@dataclass(frozen=True)
class Merged:
    """A merge, as what follows the commit needs it."""

    source_id: int
    source_number: str
    target_id: int
    target_number: str
    voters: tuple[Voter, ...]  # who had voted on the merged one, to be told
    channel_id: str | None
    closed: tuple[Closed, ...] = ()  # its amendments withdrawn, their messages to update
    moved: tuple[int, ...] = ()  # recommendations it covered, now covered by the target


def merge_form(session: Session, *, actor: Actor, recommendation_id: int) -> MergeForm:
    """The targets offered; raises NotPermitted, Refused (withdrawn, merged, no other open
    recommendation), VotingClosed, NotFound."""
    rec = get(session, recommendation_id)
    require_rapporteur(actor, rec.group, ACTION)
    require_open(session, rec)
    rows = session.scalars(
        select(Recommendation)
        .where(
            Recommendation.group_id == rec.group_id,
            Recommendation.id != rec.id,
            Recommendation.status == TextStatus.OPEN.value,
        )
        .order_by(Recommendation.seq)
    ).all()
    if not rows:
        raise Refused(Refusal.NO_TARGETS, number=rec.number, group=rec.group.name)
    targets = tuple(Target(r.id, r.number, r.title, r.text) for r in rows)
    return MergeForm(rec.id, rec.number, targets)


def merge(session: Session, *, actor: Actor, source_id: int, target_id: int) -> Merged:
    """Merge one recommendation into another (the card's form). Raises NotPermitted, Refused
    (into itself, across groups, into or from a withdrawn or merged one), VotingClosed,
    NotFound."""
    return _merge(session, actor, get(session, source_id), get(session, target_id), ACTION)


def merge_numbers(
    session: Session, *, actor: Actor, channel_id: str, source: str, target: str
) -> Merged:
    """`/wg merge EE-5 into EE-2`, in the group's channel. Raises ChannelNotLinked, and as
    `merge` does (a number of another group's: OTHER_GROUP; no such number)."""
    group = require_group_for_channel(session, channel_id)
    require_rapporteur(actor, group, COMMAND)
    src, tgt = by_number(session, source), by_number(session, target)
    for rec in (src, tgt):
        if rec.group_id != group.id:
            raise Refused(Refusal.OTHER_GROUP, number=rec.number, group=group.name, target=None)
    return _merge(session, actor, src, tgt, COMMAND)


def _merge(
    session: Session, actor: Actor, src: Recommendation, tgt: Recommendation, action: str
) -> Merged:
    require_rapporteur(actor, src.group, action)
    if src.id == tgt.id:
        raise Refused(Refusal.SAME, number=src.number)
    if src.group_id != tgt.group_id:
        raise Refused(
            Refusal.OTHER_GROUP, number=src.number, target=tgt.number, group=src.group.name
        )
    for rec in sorted((src, tgt), key=lambda r: r.id):  # a fixed order: no deadlock
        lock(session, rec)
    require_open(session, src)
    if tgt.status == TextStatus.WITHDRAWN:
        raise Refused(Refusal.TARGET_WITHDRAWN, number=src.number, target=tgt.number)
    if tgt.status == TextStatus.MERGED:
        raise Refused(Refusal.TARGET_MERGED, number=src.number, target=tgt.number)
    earlier = voters(session, src)
    src.status, src.status_by, src.status_at = TextStatus.MERGED.value, actor.user_id, utcnow()
    src.merged_into_id = tgt.id
    covered = session.scalars(
        select(Recommendation).where(
            Recommendation.merged_into_id == src.id, Recommendation.id != src.id
        )
    ).all()
    for rec in covered:  # what it covered, the target now covers
        lock(session, rec).merged_into_id = tgt.id
    closed = close_pending(session, src, actor=actor)
    audit.record(
        session,
        actor=actor,
        action="merge",
        group_key=src.group.key,
        target=src.number,
        into=tgt.number,
        moved=[rec.number for rec in covered],
    )
    session.flush()
    return Merged(
        src.id,
        src.number,
        tgt.id,
        tgt.number,
        earlier,
        src.channel_id,
        closed,
        tuple(rec.id for rec in covered),
    )
