"""Read the record into plain data for the outcome document (a few aggregate queries)."""

from __future__ import annotations

from collections import defaultdict
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from storage.comments import counts as comment_counts
from storage.countries import country_name
from storage.groups import all_groups, group_by_key
from storage.models import Choice, Person, Recommendation, Vote, utcnow
from storage.records import (
    Delegation,
    DelegationVotes,
    GroupRecord,
    RecommendationRecord,
    WorkshopRecord,
)
from storage.reservations import for_groups as reservations_for
from storage.rules import Counts

NO_DELEGATION = "--"


def _counts(row: dict[str, int]) -> Counts:
    return Counts(
        support=row.get(Choice.SUPPORT.value, 0),
        oppose=row.get(Choice.OPPOSE.value, 0),
        abstain=row.get(Choice.ABSTAIN.value, 0),
    )


def workshop_record(
    session: Session, *, group_key: str | None = None, now: datetime | None = None
) -> WorkshopRecord:
    """The whole workshop's record, or one group's; raises UnknownGroup."""
    groups = [group_by_key(session, group_key)] if group_key else all_groups(session)
    group_ids = [g.id for g in groups]
    names = dict(session.execute(select(Person.user_id, Person.name)).all())

    tallies: dict[int, dict[str, dict[str, int]]] = defaultdict(lambda: defaultdict(dict))
    vote_rows = session.execute(
        select(Vote.recommendation_id, Vote.country_code, Vote.choice, func.count())
        .join(Recommendation, Recommendation.id == Vote.recommendation_id)
        .where(Recommendation.group_id.in_(group_ids))
        .group_by(Vote.recommendation_id, Vote.country_code, Vote.choice)
    )
    for rec_id, code, choice, n in vote_rows:
        tallies[rec_id][code or NO_DELEGATION][choice] = n

    reservations = reservations_for(session, group_ids)
    discussed = comment_counts(session, group_ids)
    recs_by_group: dict[int, list[RecommendationRecord]] = defaultdict(list)
    codes = {g.id: g.code for g in groups}
    for rec in session.scalars(
        select(Recommendation)
        .where(Recommendation.group_id.in_(group_ids))
        .order_by(Recommendation.group_id, Recommendation.seq)
    ):
        by_country = tallies.get(rec.id, {})
        per_delegation = tuple(
            DelegationVotes(code, _delegation_name(code), _counts(row))
            for code, row in sorted(by_country.items())
        )
        total = sum((d.counts for d in per_delegation), Counts())
        recs_by_group[rec.group_id].append(
            RecommendationRecord(
                number=f"{codes[rec.group_id]}-{rec.seq}",
                seq=rec.seq,
                title=rec.title,
                text=rec.text,
                rationale=rec.rationale,
                author_user_id=rec.author_user_id,
                author_name=names.get(rec.author_user_id) or rec.author_user_id,
                country_code=rec.country_code,
                country_name=country_name(rec.country_code) if rec.country_code else None,
                counts=total,
                submitted_at=rec.created_at,
                votes_by_delegation=per_delegation,
                reservations=reservations.get(rec.id, ()),
                comments=discussed.get(rec.id, 0),
            )
        )

    group_records = tuple(
        GroupRecord(
            key=g.key,
            name=g.name,
            code=g.code,
            is_open=g.is_open,
            rapporteur_user_id=g.rapporteur_user_id,
            rapporteur_name=(names.get(g.rapporteur_user_id) or g.rapporteur_user_id)
            if g.rapporteur_user_id
            else None,
            recommendations=tuple(recs_by_group.get(g.id, ())),
        )
        for g in groups
    )
    return WorkshopRecord(
        groups=group_records,
        delegations=delegations(session),
        generated_at=now or utcnow(),
        scope_group_key=group_key and groups[0].key,
    )


def delegations(session: Session) -> tuple[Delegation, ...]:
    """Participating delegations (people who set a country) with their delegate counts."""
    rows = session.execute(
        select(Person.country_code, func.count())
        .where(Person.country_code.is_not(None))
        .group_by(Person.country_code)
    ).all()
    items = [Delegation(code, country_name(code), n) for code, n in rows]
    return tuple(sorted(items, key=lambda d: d.country_name))


def _delegation_name(code: str) -> str:
    return "No delegation set" if code == NO_DELEGATION else country_name(code)
