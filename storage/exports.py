"""The record as export rows: one per recommendation, as plain data (`/wg export`, CSV).

Read through the outcome document's reader (storage.reports.workshop_record), so a row
shows exactly what the document shows, and what each group may show (storage.visibility)
is already applied: a group whose tallies are hidden has no counts while it is open, and
nothing here is per voter, so secret ballots give their totals only. A row's last change is
the latest moment anything about the recommendation was recorded: its submission, a vote,
a reply in its thread, a reservation, an objection, a version or amendment, a withdrawal.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from storage import audit
from storage.actors import Actor
from storage.groups import require_group_for_channel, require_organizer, require_rapporteur
from storage.models import (
    Amendment,
    Comment,
    Group,
    Objection,
    Procedure,
    Recommendation,
    Reservation,
    Revision,
    Vote,
    as_utc,
)
from storage.records import RecommendationRecord
from storage.reports import workshop_record
from storage.rules import AdoptionRule, Counts


@dataclass(frozen=True)
class ExportRow:
    """One recommendation as an export shows it."""

    number: str  # "EE-3"
    group: str  # the group's name
    title: str | None
    text: str  # verbatim, the final version
    author: str  # the author's name (their Slack id when none is known)
    delegation: str | None  # the submitting delegation's code
    procedure: str  # vote | delegation | consensus
    counts: Counts | None  # None: by consensus, withheld, or no longer counted
    objections: tuple[str, ...] | None  # by consensus: the objecting delegations' codes
    outcome: str  # adopted | not_adopted | withheld | "" (withdrawn or merged: see status)
    status: str  # open | closed | withdrawn | merged
    merged_into: str | None  # "EE-2"
    reservations: tuple[str, ...]  # the codes of the delegations holding one
    comments: int
    last_change: datetime  # UTC


def authorize(
    session: Session, *, actor: Actor, channel_id: str, whole_workshop: bool
) -> str | None:
    """The group key to export (None: every group); raises NotPermitted, ChannelNotLinked.

    Every group is for organizers (in any channel); a group's rows are for its rapporteur or
    an organizer, in the group's channel.
    """
    if whole_workshop:
        require_organizer(actor, "export all")
        return None
    group = require_group_for_channel(session, channel_id)
    require_rapporteur(actor, group, "export")
    return group.key


def record_export(
    session: Session, *, actor: Actor, group_key: str | None, rows: int, file_id: str | None
) -> None:
    """Note in the audit log that an export was delivered (target: the file's id)."""
    audit.record(
        session, actor=actor, action="export", group_key=group_key, target=file_id, rows=rows
    )
    session.flush()


def export_rows(
    session: Session, *, rule: AdoptionRule, group_key: str | None = None
) -> list[ExportRow]:
    """Every recommendation of the workshop (or of one group), group by group, in number
    order; raises UnknownGroup."""
    record = workshop_record(session, group_key=group_key)
    changed = last_changes(session, [g.key for g in record.groups])
    rows = []
    for group in record.groups:
        for rec in sorted(group.recommendations, key=lambda r: r.seq):
            rows.append(_row(group.name, group.is_open, rec, rule, changed.get(rec.number)))
    return rows


def last_changes(session: Session, group_keys: Iterable[str]) -> dict[str, datetime]:
    """Per recommendation number: the latest moment anything about it was recorded (UTC)."""
    keys = list(group_keys)
    recs = session.execute(
        select(
            Recommendation.id,
            Group.code,
            Recommendation.seq,
            Recommendation.created_at,
            Recommendation.status_at,
        )
        .join(Group, Group.id == Recommendation.group_id)
        .where(Group.key.in_(keys))
    ).all()
    if not recs:
        return {}
    ids = [r.id for r in recs]
    latest: dict[int, datetime] = {}
    for rec in recs:
        _later(latest, rec.id, rec.created_at, rec.status_at)
    for column, key in (
        (Vote.updated_at, Vote.recommendation_id),
        (Comment.created_at, Comment.recommendation_id),
        (Comment.edited_at, Comment.recommendation_id),
        (Comment.deleted_at, Comment.recommendation_id),
        (Reservation.updated_at, Reservation.recommendation_id),
        (Objection.updated_at, Objection.recommendation_id),
        (Revision.created_at, Revision.recommendation_id),
        (Amendment.created_at, Amendment.recommendation_id),
        (Amendment.decided_at, Amendment.recommendation_id),
    ):
        for rec_id, moment in session.execute(
            select(key, func.max(column)).where(key.in_(ids)).group_by(key)
        ):
            _later(latest, rec_id, moment)
    return {f"{r.code}-{r.seq}": latest[r.id] for r in recs}


def _later(latest: dict[int, datetime], rec_id: int, *moments: Any) -> None:
    for moment in moments:
        if moment is None:
            continue
        if isinstance(moment, str):  # SQLite's max() of a timestamp column: its text
            moment = datetime.fromisoformat(moment)
        moment = as_utc(moment)
        if rec_id not in latest or moment > latest[rec_id]:
            latest[rec_id] = moment


def _row(
    group: str,
    is_open: bool,
    rec: RecommendationRecord,
    rule: AdoptionRule,
    last_change: datetime | None,
) -> ExportRow:
    consensus = rec.procedure == Procedure.CONSENSUS
    if not rec.counted:
        outcome = ""
    elif rec.withheld:
        outcome = "withheld"
    else:
        outcome = "adopted" if rec.adopted(rule) else "not_adopted"
    shows_counts = rec.counted and not rec.withheld and not consensus
    return ExportRow(
        number=rec.number,
        group=group,
        title=rec.title,
        text=rec.text,
        author=rec.author_name,
        delegation=rec.country_code,
        procedure=Procedure(rec.procedure).value,
        counts=rec.counts if shows_counts else None,
        objections=tuple(o.delegation for o in rec.objections) if consensus else None,
        outcome=outcome,
        status=rec.status if not rec.counted else ("open" if is_open else "closed"),
        merged_into=rec.merged_into,
        reservations=tuple(sorted(r.delegation for r in rec.reservations)),
        comments=rec.comments,
        last_change=last_change or as_utc(rec.submitted_at),
    )
