"""The groups as App Home shows them: the counts it may show, each group's state for its
rapporteur and the organizers, the latest outcome documents, and whose Home a group concerns.

`shown_counts` is the one place where Home reads a group's counts: whatever a group's
settings let a person see of its tallies is decided there, and everything Home shows of
counts (a recommendation's tally and outcome so far, a group's votes cast) comes from it.
Participation is who took part (never how they voted): in a group deciding by vote, the
people of the group who voted on at least one of its recommendations, over the group's
people; by delegation, the same for delegations. The group's people are its members on the
participant list (observers apart; unmatched members count, as not having voted yet), or,
while the list names nobody for the group, everyone who submitted, voted or commented in it.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import false, func, or_, select
from sqlalchemy.orm import Session

from storage.models import (
    Comment,
    CompileRequestRow,
    Group,
    Objection,
    Participant,
    Person,
    Procedure,
    Recommendation,
    Role,
    Vote,
    WorkState,
    as_utc,
)
from storage.rules import AdoptionRule, Counts, procedure_of
from storage.tallies import ballot_counts, counts_of, delegation_ballots, not_observer
from storage.visibility import of_group


@dataclass(frozen=True)
class Shown:
    """What Home may show of one recommendation's votes."""

    cast: int  # votes (by delegation: ballots; by consensus: standing objections)
    counts: Counts | None = None  # None: not shown (by consensus there are none)
    objections: int | None = None  # by consensus: the standing objections
    adopted: bool | None = None  # so far, while its group is open; None: not shown


@dataclass(frozen=True)
class GroupState:
    """One group as its rapporteur and the organizers see it on Home."""

    key: str
    name: str
    channel_id: str | None
    procedure: Procedure
    is_open: bool
    deadline_at: datetime | None  # UTC
    deadline_zone: str | None
    recommendations: int  # standing ones
    cast: int | None  # votes, ballots or objections; None: not shown
    took_part: int  # people (by delegation: delegations) who voted
    eligible: int  # the group's people (delegations)

    @property
    def participation(self) -> int | None:
        """Who took part, in % of the group's people; None when nothing is asked of anyone."""
        if self.procedure is Procedure.CONSENSUS or not self.eligible:
            return None
        return round(100 * self.took_part / self.eligible)


@dataclass(frozen=True)
class Document:
    """The latest outcome document delivered for a group (group_key None: the workshop)."""

    group_key: str | None
    file_id: str
    channel_id: str
    finished_at: datetime | None


def shown_counts(
    session: Session,
    groups: Iterable[Group],
    rec_ids: Mapping[int, Sequence[int]],
    rule: AdoptionRule,
) -> dict[int, Shown]:
    """Per recommendation id: its votes as Home may show them (`rec_ids` by group id).

    The one place where Home reads a group's counts (see the module's docstring).
    """
    shown: dict[int, Shown] = {}
    for group in groups:
        ids = list(rec_ids.get(group.id, ()))
        if not ids:
            continue
        procedure = procedure_of(session, group.procedure)
        if procedure is Procedure.CONSENSUS:
            objected = _objections(session, ids)
            for rid in ids:
                n = objected.get(rid, 0)
                shown[rid] = Shown(
                    cast=n, objections=n, adopted=rule.decides(procedure, Counts(), n > 0)
                )
            continue
        if procedure is Procedure.DELEGATION:
            ballots = delegation_ballots(session, ids)
            counts = {rid: ballot_counts(ballots.get(rid, ())) for rid in ids}
        else:
            counts = _person_counts(session, ids)
        withheld = of_group(session, group).withheld  # hidden tallies while open
        for rid in ids:
            c = counts.get(rid, Counts())
            if withheld:  # how many have voted, never how (storage.visibility)
                shown[rid] = Shown(cast=c.cast)
                continue
            shown[rid] = Shown(cast=c.cast, counts=c, adopted=rule.decides(procedure, c, False))
    return shown


def group_state(
    session: Session, group: Group, rec_ids: Sequence[int], shown: Mapping[int, Shown]
) -> GroupState:
    """The group's procedure, state, deadline, recommendations, votes and participation."""
    procedure = procedure_of(session, group.procedure)
    casts = [shown[rid].cast for rid in rec_ids if rid in shown]
    took_part, eligible = _participation(session, group, procedure, rec_ids)
    return GroupState(
        key=group.key,
        name=group.name,
        channel_id=group.channel_id,
        procedure=procedure,
        is_open=group.is_open,
        deadline_at=as_utc(group.deadline_at) if group.deadline_at else None,
        deadline_zone=group.deadline_zone,
        recommendations=len(rec_ids),
        cast=sum(casts) if len(casts) == len(rec_ids) else None,
        took_part=took_part,
        eligible=eligible,
    )


def latest_documents(
    session: Session, keys: Collection[str], *, workshop: bool
) -> dict[str | None, Document]:
    """The latest document delivered per group key (None: the whole workshop, if asked)."""
    table = CompileRequestRow
    whole = table.group_key.is_(None) if workshop else false()
    rows = session.execute(
        select(table.group_key, table.file_id, table.channel_id, table.finished_at)
        .where(
            table.state == WorkState.DONE,
            table.file_id.is_not(None),
            or_(table.group_key.in_(sorted(keys)), whole),
        )
        .order_by(table.finished_at.desc(), table.id.desc())
    )
    latest: dict[str | None, Document] = {}
    for row in rows:
        if row.group_key not in latest:
            finished = as_utc(row.finished_at) if row.finished_at else None
            latest[row.group_key] = Document(row.group_key, row.file_id, row.channel_id, finished)
    return latest


def people_of_group(session: Session, group_key: str) -> set[str]:
    """Whose Home a change of the group concerns: its members on the participant list, its
    rapporteur, and whoever submitted, voted or commented in it."""
    group = session.scalars(select(Group).where(Group.key == group_key)).one_or_none()
    if group is None:
        return set()
    in_group = select(Recommendation.id).where(Recommendation.group_id == group.id)
    queries = (
        select(Participant.user_id).where(
            Participant.user_id.is_not(None),
            or_(Participant.group_key == group.key, Participant.group_key.is_(None)),
        ),
        select(Recommendation.author_user_id).where(Recommendation.group_id == group.id),
        select(Vote.voter_user_id).where(Vote.recommendation_id.in_(in_group)).distinct(),
        select(Comment.user_id).where(Comment.recommendation_id.in_(in_group)).distinct(),
    )
    people = {group.rapporteur_user_id} if group.rapporteur_user_id else set()
    for query in queries:
        people.update(user for user in session.scalars(query) if user)
    return people


def _person_counts(session: Session, ids: Sequence[int]) -> dict[int, Counts]:
    """One vote per person, for many recommendations in one query (observers never count)."""
    found: dict[int, list[tuple[str, int]]] = {}
    rows = session.execute(
        select(Vote.recommendation_id, Vote.choice, func.count())
        .where(Vote.recommendation_id.in_(ids), not_observer(Vote.voter_user_id))
        .group_by(Vote.recommendation_id, Vote.choice)
    )
    for rid, choice, n in rows:
        found.setdefault(rid, []).append((choice, n))
    return {rid: counts_of(pairs) for rid, pairs in found.items()}


def _objections(session: Session, ids: Sequence[int]) -> dict[int, int]:
    rows = session.execute(
        select(Objection.recommendation_id, func.count())
        .where(Objection.recommendation_id.in_(ids))
        .group_by(Objection.recommendation_id)
    )
    return {rid: n for rid, n in rows}


def _participation(
    session: Session, group: Group, procedure: Procedure, rec_ids: Sequence[int]
) -> tuple[int, int]:
    """(who voted, the group's people): people by vote, delegations by delegation."""
    if procedure is Procedure.CONSENSUS:
        return 0, 0
    listed = session.execute(
        select(Participant.id, Participant.user_id, Participant.delegation).where(
            or_(Participant.group_key == group.key, Participant.group_key.is_(None)),
            Participant.role != Role.OBSERVER.value,
        )
    ).all()
    voters = session.execute(
        select(Vote.voter_user_id, Vote.delegation)
        .where(Vote.recommendation_id.in_(rec_ids), not_observer(Vote.voter_user_id))
        .distinct()
    ).all()
    if procedure is Procedure.DELEGATION:
        voted = {_code(d) for _, d in voters if d}
        if listed:
            eligible = {_code(row.delegation) for row in listed}
            return len(voted & eligible), len(eligible)
        people = _took_part(session, group, rec_ids)
        rows = session.execute(
            select(Person.delegation).where(
                Person.user_id.in_(sorted(people)),
                Person.delegation.is_not(None),
                Person.role.is_distinct_from(Role.OBSERVER.value),
            )
        )
        delegations = {_code(d) for (d,) in rows} | voted
        return len(voted), len(delegations)
    voted_people = {user for user, _ in voters}
    if listed:
        members = {row.user_id or f"unmatched:{row.id}" for row in listed}
        return len(voted_people & members), len(members)
    people = _took_part(session, group, rec_ids) | voted_people
    observers = set(
        session.scalars(
            select(Person.user_id).where(
                Person.user_id.in_(sorted(people)), Person.role == Role.OBSERVER.value
            )
        )
    )
    return len(voted_people), len(people - observers)


def _took_part(session: Session, group: Group, rec_ids: Sequence[int]) -> set[str]:
    """Whoever submitted, voted or commented in the group."""
    queries = (
        select(Recommendation.author_user_id).where(Recommendation.group_id == group.id),
        select(Vote.voter_user_id).where(Vote.recommendation_id.in_(rec_ids)),
        select(Comment.user_id).where(
            Comment.recommendation_id.in_(rec_ids), Comment.deleted_at.is_(None)
        ),
    )
    people: set[str] = set()
    for query in queries:
        people.update(user for user in session.scalars(query) if user)
    return people


def _code(delegation: str) -> str:
    return delegation.strip().upper()
