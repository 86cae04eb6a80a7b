"""Read the record into plain data for the outcome document (a few aggregate queries)."""

from __future__ import annotations

from collections import defaultdict
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from storage.comments import counts as comment_counts
from storage.countries import country_name
from storage.groups import all_groups, group_by_key
from storage.models import (
    Choice,
    Participant,
    Person,
    Procedure,
    Recommendation,
    Role,
    Vote,
    utcnow,
)
from storage.objections import standing
from storage.records import (
    BallotRecord,
    Delegation,
    DelegationVotes,
    GroupRecord,
    ObjectionRecord,
    RecommendationRecord,
    WorkshopRecord,
)
from storage.reservations import for_groups as reservations_for
from storage.rules import Counts, procedure_of
from storage.tallies import DelegationBallot, ballot_counts, delegation_ballots, not_observer
from storage.text_history import History
from storage.text_history import for_groups as histories_for
from storage.visibility import of_group

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
    """The whole workshop's record, or one group's; raises UnknownGroup.

    Each group's tallies follow its procedure (storage.tallies): by vote, people's votes; by
    delegation, delegations' ballots; by consensus, its standing objections instead. What a
    group may show (storage.visibility) is applied here: a group whose tallies are hidden
    while it is open has no counts or ballots (`withheld`), a secret one no votes by delegation.
    """
    groups = [group_by_key(session, group_key)] if group_key else all_groups(session)
    group_ids = [g.id for g in groups]
    procedures = {g.id: procedure_of(session, g.procedure) for g in groups}
    seen = {g.id: of_group(session, g) for g in groups}
    names = dict(session.execute(select(Person.user_id, Person.name)).all())

    tallies: dict[int, dict[str, dict[str, int]]] = defaultdict(lambda: defaultdict(dict))
    # By vote, each vote under its voter's delegation: confirmed when they clicked, else declared.
    delegation = func.coalesce(Vote.delegation, Vote.country_code)
    vote_rows = session.execute(
        select(Vote.recommendation_id, delegation, Vote.choice, func.count())
        .join(Recommendation, Recommendation.id == Vote.recommendation_id)
        .where(Recommendation.group_id.in_(group_ids), not_observer(Vote.voter_user_id))
        .group_by(Vote.recommendation_id, delegation, Vote.choice)
    )
    for rec_id, code, choice, n in vote_rows:
        tallies[rec_id][code or NO_DELEGATION][choice] = n

    reservations = reservations_for(session, group_ids)
    discussed = comment_counts(session, group_ids)
    histories = histories_for(session, group_ids, names)
    recs_by_group: dict[int, list[RecommendationRecord]] = defaultdict(list)
    codes = {g.id: g.code for g in groups}
    recs = session.scalars(
        select(Recommendation)
        .where(Recommendation.group_id.in_(group_ids))
        .order_by(Recommendation.group_id, Recommendation.seq)
    ).all()
    by_procedure = {p: [r.id for r in recs if procedures[r.group_id] is p] for p in Procedure}
    numbers = {r.id: f"{codes[r.group_id]}-{r.seq}" for r in recs}
    ballots = _ballots(session, by_procedure[Procedure.DELEGATION])
    objections = _objections(session, by_procedure[Procedure.CONSENSUS])
    for rec in recs:
        procedure = procedures[rec.group_id]
        if procedure is Procedure.DELEGATION:
            cast = ballots.get(rec.id, ())
            per_delegation = tuple(
                DelegationVotes(b.delegation, _delegation_name(b.delegation), ballot_counts([b]))
                for b in cast
            )
        else:
            by_country = tallies.get(rec.id, {}) if procedure is Procedure.VOTE else {}
            per_delegation = tuple(
                DelegationVotes(code, _delegation_name(code), _counts(row))
                for code, row in sorted(by_country.items())
            )
        total = sum((d.counts for d in per_delegation), Counts())
        shown = seen[rec.group_id]  # what the group may show (storage.visibility)
        if shown.withheld:  # hidden tallies while open: no counts, no ballots
            total, per_delegation = Counts(), ()
        elif shown.secret:  # secret ballots: the totals only, never by delegation
            per_delegation = ()
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
                procedure=procedure,
                ballots=tuple(
                    sorted(
                        (
                            BallotRecord(b.delegation, _delegation_name(b.delegation), b.choice)
                            for b in ballots.get(rec.id, ())
                            if not shown.withheld
                        ),
                        key=lambda b: b.delegation_name,
                    )
                ),
                objections=objections.get(rec.id, ()),
                status=rec.status,
                merged_into=numbers.get(rec.merged_into_id) if rec.merged_into_id else None,
                revisions=histories.get(rec.id, History()).revisions,
                amendments=histories.get(rec.id, History()).amendments,
                withheld=shown.withheld,
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
            procedure=procedures[g.id],
            withheld=seen[g.id].withheld,
            secret=seen[g.id].secret,
        )
        for g in groups
    )
    return WorkshopRecord(
        groups=group_records,
        delegations=delegations(session),
        observers=observers(session),
        generated_at=now or utcnow(),
        scope_group_key=group_key and groups[0].key,
    )


def delegations(session: Session) -> tuple[Delegation, ...]:
    """Participating States' delegations with their delegate counts, by country name.

    The participant list's delegates and rapporteurs, plus people not on it who declared a
    delegation (`/wg country`); without a list, those alone (the delegations seen at work).
    """
    declared = session.execute(
        select(Person.country_code, func.count())
        .where(Person.country_code.is_not(None), Person.delegation.is_(None))
        .group_by(Person.country_code)
    ).all()
    listed = session.execute(
        select(Participant.delegation, func.count())
        .where(Participant.role != Role.OBSERVER.value)
        .group_by(Participant.delegation)
    ).all()
    counts: dict[str, int] = defaultdict(int)
    for code, n in (*declared, *listed):
        counts[code] += n
    items = [Delegation(code, country_name(code), n) for code, n in counts.items()]
    return tuple(sorted(items, key=lambda d: d.country_name))


def observers(session: Session) -> tuple[str, ...]:
    """The observers' organisations on the participant list, in the list's order."""
    first = func.min(Participant.id)
    rows = session.execute(
        select(Participant.delegation, first)
        .where(Participant.role == Role.OBSERVER.value)
        .group_by(Participant.delegation)
        .order_by(first)
    )
    return tuple(delegation for delegation, _ in rows)


def _ballots(session: Session, rec_ids: list[int]) -> dict[int, tuple[DelegationBallot, ...]]:
    """Each delegation's ballot on these recommendations (none asked: no query)."""
    return delegation_ballots(session, rec_ids) if rec_ids else {}


def _objections(session: Session, rec_ids: list[int]) -> dict[int, tuple[ObjectionRecord, ...]]:
    """The standing objections to these recommendations, reasons verbatim."""
    found = standing(session, rec_ids) if rec_ids else {}
    return {
        rec_id: tuple(ObjectionRecord(o.delegation, o.delegation_name, o.reason) for o in items)
        for rec_id, items in found.items()
    }


def _delegation_name(code: str) -> str:
    return "No delegation set" if code == NO_DELEGATION else country_name(code)
