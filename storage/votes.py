"""Casting votes, counted once per person per recommendation."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from storage import audit
from storage.actors import Actor
from storage.dialect import insert
from storage.errors import InvalidInput, VotingClosed
from storage.models import Choice, Recommendation, Vote, utcnow
from storage.people import remember
from storage.recommendations import get
from storage.rules import Counts


@dataclass(frozen=True)
class VoteResult:
    """What a click did."""

    recommendation_id: int
    number: str
    choice: Choice
    previous: Choice | None
    changed: bool


def parse_choice(value: str) -> Choice:
    """The choice named by a button value; raises InvalidInput."""
    try:
        return Choice(value)
    except ValueError:
        raise InvalidInput("choice", "unknown") from None


def cast(session: Session, *, actor: Actor, recommendation_id: int, choice: Choice) -> VoteResult:
    """Record the actor's vote (an upsert: one per person per recommendation).

    A different choice replaces the earlier one; the same choice changes nothing.
    Raises NotFound, VotingClosed.
    """
    recommendation = get(session, recommendation_id)
    if not recommendation.group.is_open:
        raise VotingClosed(group=recommendation.group.name)
    person = remember(session, actor.user_id, actor.name)
    previous = session.scalar(
        select(Vote.choice).where(
            Vote.recommendation_id == recommendation_id, Vote.voter_user_id == actor.user_id
        )
    )
    if previous == choice:
        return VoteResult(recommendation_id, recommendation.number, choice, choice, False)
    values = {
        "recommendation_id": recommendation_id,
        "voter_user_id": actor.user_id,
        "choice": choice.value,
        "country_code": person.country_code,
        "updated_at": utcnow(),
    }
    statement = insert(session, Vote).values(**values)
    statement = statement.on_conflict_do_update(
        index_elements=["recommendation_id", "voter_user_id"],
        set_={
            "choice": statement.excluded.choice,
            "country_code": statement.excluded.country_code,
            "updated_at": statement.excluded.updated_at,
        },
        where=Vote.choice != statement.excluded.choice,
    ).returning(Vote.id)
    changed = session.execute(statement).first() is not None
    if changed:
        session.execute(
            update(Recommendation)
            .where(Recommendation.id == recommendation_id)
            .values(tally_version=Recommendation.tally_version + 1)
        )
        audit.record(
            session,
            actor=actor,
            action="vote",
            group_key=recommendation.group.key,
            target=recommendation.number,
            choice=choice.value,
            previous=previous,
        )
    session.flush()
    return VoteResult(
        recommendation_id,
        recommendation.number,
        choice,
        Choice(previous) if previous else None,
        changed,
    )


def counts(session: Session, recommendation_id: int) -> Counts:
    """The current tally of one recommendation."""
    rows = dict(
        session.execute(
            select(Vote.choice, func.count())
            .where(Vote.recommendation_id == recommendation_id)
            .group_by(Vote.choice)
        ).all()
    )
    return Counts(
        support=rows.get(Choice.SUPPORT.value, 0),
        oppose=rows.get(Choice.OPPOSE.value, 0),
        abstain=rows.get(Choice.ABSTAIN.value, 0),
    )
