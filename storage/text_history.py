"""The history of recommendations' texts, as the outcome document records it: every version
and every amendment, for whole groups in two queries."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection, Mapping
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from storage.amendment_views import label
from storage.models import Amendment, Group, Recommendation, Revision, as_utc
from storage.records import AmendmentRecord, RevisionRecord
from storage.reservations import delegation_name


@dataclass(frozen=True)
class History:
    """One recommendation's versions (v1 first) and amendments (by number)."""

    revisions: tuple[RevisionRecord, ...] = ()
    amendments: tuple[AmendmentRecord, ...] = ()


def for_groups(
    session: Session, group_ids: Collection[int], names: Mapping[str, str | None]
) -> dict[int, History]:
    """The history of every recommendation of these groups that has one, by its id
    (`names`: people's names by user id)."""
    ids = list(group_ids)
    numbers: dict[int, str] = {
        rec_id: f"{code}-{seq}"
        for rec_id, code, seq in session.execute(
            select(Recommendation.id, Group.code, Recommendation.seq)
            .join(Group)
            .where(Recommendation.group_id.in_(ids))
        )
    }
    amendments: dict[int, list[AmendmentRecord]] = defaultdict(list)
    labels: dict[int, str] = {}
    for row in session.scalars(
        select(Amendment)
        .join(Recommendation, Recommendation.id == Amendment.recommendation_id)
        .where(Recommendation.group_id.in_(ids))
        .order_by(Amendment.recommendation_id, Amendment.number)
    ):
        number = label(numbers[row.recommendation_id], row.number)
        labels[row.id] = number
        amendments[row.recommendation_id].append(
            AmendmentRecord(
                number=number,
                text=row.text,
                reason=row.reason,
                proposed_by=_name(names, row.user_id),
                delegation_name=delegation_name(row.delegation) if row.delegation else None,
                state=row.state,
                proposed_at=as_utc(row.created_at),
                decided_by=_name(names, row.decided_by) if row.decided_by else None,
                reject_reason=row.reject_reason,
            )
        )
    revisions: dict[int, list[RevisionRecord]] = defaultdict(list)
    for row in session.scalars(
        select(Revision)
        .join(Recommendation, Recommendation.id == Revision.recommendation_id)
        .where(Recommendation.group_id.in_(ids))
        .order_by(Revision.recommendation_id, Revision.version)
    ):
        revisions[row.recommendation_id].append(
            RevisionRecord(
                version=row.version,
                text=row.text,
                title=row.title,
                cause=row.cause,
                by_name=_name(names, row.user_id),
                delegation=row.delegation,
                delegation_name=delegation_name(row.delegation) if row.delegation else None,
                at=as_utc(row.created_at),
                amendment=labels.get(row.amendment_id) if row.amendment_id else None,
            )
        )
    return {
        rec_id: History(tuple(revisions.get(rec_id, ())), tuple(amendments.get(rec_id, ())))
        for rec_id in revisions.keys() | amendments.keys()
    }


def _name(names: Mapping[str, str | None], user_id: str) -> str:
    return names.get(user_id) or user_id
