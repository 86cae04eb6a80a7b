"""Casting votes, counted once per person per recommendation."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from typing import Any

from sqlalchemy import and_, bindparam, func, select, update
from sqlalchemy.orm import Session

from storage.actors import Actor
from storage.dialect import dialect_of, insert_for
from storage.errors import InvalidInput, NotFound, VotingClosed
from storage.models import AuditEntry, Choice, Group, Person, Recommendation, Vote, utcnow
from storage.people import Seen, remember_seen
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

    This is the hottest path of a workshop (two hundred clicks a minute when a session
    ends), so it is written in plain statements built once: one SELECT reads the card, its
    group, the voter and their earlier vote; a change then costs three writes.
    """
    session.flush()  # what the ORM's autoflush would do: plain statements skip it
    ballot = session.execute(_BALLOT, {"rid": recommendation_id, "uid": actor.user_id}).first()
    if ballot is None:
        raise NotFound(what="recommendation")
    if not ballot.is_open:
        raise VotingClosed(group=ballot.group_name)
    number = f"{ballot.code}-{ballot.seq}"
    seen = Seen(ballot.person is not None, ballot.person_name, ballot.country_code)
    country_code = remember_seen(session, actor.user_id, actor.name, seen)
    previous = ballot.previous
    if previous == choice:
        return VoteResult(recommendation_id, number, choice, choice, False)
    stored = session.execute(
        _upsert(dialect_of(session)),
        {
            "recommendation_id": recommendation_id,
            "voter_user_id": actor.user_id,
            "choice": choice.value,
            "country_code": country_code,
            "updated_at": utcnow(),
        },
    )
    changed = stored.first() is not None
    if changed:
        session.execute(
            _AUDIT,
            {
                "at": utcnow(),
                "actor_user_id": actor.user_id,
                "action": "vote",
                "group_key": ballot.group_key,
                "target": number,
                "detail": {"choice": choice.value, "previous": previous},
                "request_id": actor.request_id,
            },
        )
        # Last: on PostgreSQL this locks the recommendation's row until the commit, and
        # every click on the card queues for that row.
        session.execute(_BUMP_TALLY, {"rid": recommendation_id})
        _expire_tally(session, recommendation_id)
    return VoteResult(
        recommendation_id,
        number,
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


_RECS, _GROUPS, _PEOPLE, _VOTES = (m.__table__ for m in (Recommendation, Group, Person, Vote))
_BALLOT = (
    select(
        _RECS.c.seq,
        _GROUPS.c.code,
        _GROUPS.c.key.label("group_key"),
        _GROUPS.c.name.label("group_name"),
        _GROUPS.c.is_open,
        _PEOPLE.c.user_id.label("person"),
        _PEOPLE.c.name.label("person_name"),
        _PEOPLE.c.country_code,
        _VOTES.c.choice.label("previous"),
    )
    .join(_GROUPS, _GROUPS.c.id == _RECS.c.group_id)
    .outerjoin(_PEOPLE, _PEOPLE.c.user_id == bindparam("uid"))
    .outerjoin(
        _VOTES,
        and_(_VOTES.c.recommendation_id == _RECS.c.id, _VOTES.c.voter_user_id == bindparam("uid")),
    )
    .where(_RECS.c.id == bindparam("rid"))
)
_BUMP_TALLY = (
    update(_RECS)
    .where(_RECS.c.id == bindparam("rid"))
    .values(tally_version=_RECS.c.tally_version + 1)
)
_AUDIT = AuditEntry.__table__.insert()


@cache
def _upsert(dialect: str) -> Any:
    """Insert the vote, or replace a different earlier choice; RETURNING says which happened."""
    statement = insert_for(dialect, _VOTES)
    return statement.on_conflict_do_update(
        index_elements=["recommendation_id", "voter_user_id"],
        set_={
            "choice": statement.excluded.choice,
            "country_code": statement.excluded.country_code,
            "updated_at": statement.excluded.updated_at,
        },
        where=_VOTES.c.choice != statement.excluded.choice,
    ).returning(_VOTES.c.id)


def _expire_tally(session: Session, recommendation_id: int) -> None:
    """Keep a Recommendation this session already holds in step with the plain UPDATE."""
    key = session.identity_key(Recommendation, recommendation_id)  # type: ignore[arg-type]
    recommendation = session.identity_map.get(key)
    if recommendation is not None:
        session.expire(recommendation, ["tally_version"])
