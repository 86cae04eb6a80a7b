"""Who is reminded before a deadline, of which recommendations, and that it happened once.

The people of a group: its members on the participant list (matched to a Slack account),
and everyone who submitted, voted or commented in it. Each is reminded of the group's open
recommendations they have not voted on; observers never are (they do not count). In a
delegation group a recommendation is done for every delegate of a delegation that has
voted on it, and only people with a confirmed delegation are reminded (nobody else's ballot
counts there). In a consensus group nobody is reminded: nothing is asked of anyone.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import delete, or_, select
from sqlalchemy.orm import Session

from storage.dialect import insert
from storage.models import (
    Comment,
    Group,
    Participant,
    Person,
    Procedure,
    Recommendation,
    ReminderSent,
    Role,
    TextStatus,
    Vote,
    as_utc,
    utcnow,
)


@dataclass(frozen=True)
class OpenRecommendation:
    """A recommendation someone is reminded of, with where its card is."""

    number: str
    title: str | None
    text: str
    channel_id: str | None
    message_ts: str | None


@dataclass(frozen=True)
class Reminder:
    """One person, and the open recommendations they have not voted on (in order)."""

    user_id: str
    recommendations: tuple[OpenRecommendation, ...]


def due(
    session: Session, *, group_key: str, deadline_at: datetime, default_procedure: str
) -> list[Reminder]:
    """The reminders of the group's deadline not sent yet, by user id.

    `default_procedure` is the workshop's (DECISION_PROCEDURE), for a group that has none.
    """
    group = session.scalars(select(Group).where(Group.key == group_key)).one()
    procedure = group.procedure or default_procedure
    if procedure == Procedure.CONSENSUS:
        return []
    recs = list(
        session.scalars(
            select(Recommendation)
            .where(
                Recommendation.group_id == group.id,
                Recommendation.status == TextStatus.OPEN.value,  # withdrawn, merged: not open
            )
            .order_by(Recommendation.seq)
        )
    )
    if not recs:
        return []
    people = _people(session, group, [rec.id for rec in recs])
    people -= _reminded(session, group_key, deadline_at)
    standing = {
        row.user_id: (row.delegation, row.role)
        for row in session.execute(
            select(Person.user_id, Person.delegation, Person.role).where(
                Person.user_id.in_(sorted(people))
            )
        )
    }
    people -= {user for user, (_, role) in standing.items() if role == Role.OBSERVER}
    done: dict[int, set[str]] = defaultdict(set)  # per recommendation: voters, delegations
    for vote in session.execute(
        select(Vote.recommendation_id, Vote.voter_user_id, Vote.delegation).where(
            Vote.recommendation_id.in_([rec.id for rec in recs])
        )
    ):
        done[vote.recommendation_id].add(vote.voter_user_id)
        if procedure == Procedure.DELEGATION and vote.delegation:
            done[vote.recommendation_id].add(_delegation_key(vote.delegation))
    reminders = []
    for user_id in sorted(people):
        mine = {user_id}
        if procedure == Procedure.DELEGATION:
            delegation = standing.get(user_id, (None, None))[0]
            if not delegation:
                continue
            mine.add(_delegation_key(delegation))
        missing = tuple(_open(rec) for rec in recs if not mine & done[rec.id])
        if missing:
            reminders.append(Reminder(user_id, missing))
    return reminders


def claim(session: Session, *, group_key: str, deadline_at: datetime, user_id: str) -> bool:
    """Note that `user_id` is being reminded of this deadline; False if someone already did."""
    statement = (
        insert(session, ReminderSent)
        .values(
            group_key=group_key,
            deadline_at=as_utc(deadline_at),
            user_id=user_id,
            sent_at=utcnow(),
        )
        .on_conflict_do_nothing(index_elements=["group_key", "deadline_at", "user_id"])
        .returning(ReminderSent.id)  # a row only if this claim inserted it
    )
    claimed = session.execute(statement).first() is not None
    session.flush()
    return claimed


def release(session: Session, *, group_key: str, deadline_at: datetime, user_id: str) -> None:
    """Forget a claim whose message Slack refused: the next run of the reminder tries again."""
    session.execute(
        delete(ReminderSent).where(
            ReminderSent.group_key == group_key,
            ReminderSent.deadline_at == as_utc(deadline_at),
            ReminderSent.user_id == user_id,
        )
    )
    session.flush()


def _people(session: Session, group: Group, rec_ids: list[int]) -> set[str]:
    """Members on the participant list, plus whoever submitted, voted or commented."""
    listed = select(Participant.user_id).where(
        Participant.user_id.is_not(None),
        or_(Participant.group_key == group.key, Participant.group_key.is_(None)),
    )
    authors = select(Recommendation.author_user_id).where(Recommendation.group_id == group.id)
    voters = select(Vote.voter_user_id).where(Vote.recommendation_id.in_(rec_ids))
    commenters = select(Comment.user_id).where(
        Comment.recommendation_id.in_(rec_ids), Comment.deleted_at.is_(None)
    )
    people: set[str] = set()
    for query in (listed, authors, voters, commenters):
        people.update(user for user in session.scalars(query) if user)
    return people


def _reminded(session: Session, group_key: str, deadline_at: datetime) -> set[str]:
    return set(
        session.scalars(
            select(ReminderSent.user_id).where(
                ReminderSent.group_key == group_key,
                ReminderSent.deadline_at == as_utc(deadline_at),
            )
        )
    )


def _delegation_key(delegation: str) -> str:
    """A delegation, kept apart from user ids in one set."""
    return "delegation:" + delegation.strip().upper()


def _open(rec: Recommendation) -> OpenRecommendation:
    return OpenRecommendation(
        number=rec.number,
        title=rec.title,
        text=rec.text,
        channel_id=rec.channel_id,
        message_ts=rec.message_ts,
    )
