"""Casting votes, counted once per person per recommendation."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from typing import Any

from sqlalchemy import and_, bindparam, func, select, update
from sqlalchemy.orm import Session

from storage.actors import Actor
from storage.dialect import dialect_of, insert_for, one_round_trip
from storage.errors import DomainError, InvalidInput, NotFound, VotingClosed
from storage.models import AuditEntry, Choice, Group, Person, Recommendation, Vote, utcnow
from storage.people import Seen, remember_voters
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


@dataclass(frozen=True)
class Ballot:
    """One click on a vote button, as plain values."""

    user_id: str
    name: str | None
    recommendation_id: int
    choice: Choice
    request_id: str | None = None


def cast(session: Session, *, actor: Actor, recommendation_id: int, choice: Choice) -> VoteResult:
    """Record the actor's vote (an upsert: one per person per recommendation).

    A different choice replaces the earlier one; the same choice changes nothing.
    Raises NotFound, VotingClosed.
    """
    ballot = Ballot(actor.user_id, actor.name, recommendation_id, choice, actor.request_id)
    outcome = cast_many(session, [ballot])[0]
    if isinstance(outcome, DomainError):
        raise outcome
    return outcome


def cast_many(session: Session, ballots: Sequence[Ballot]) -> list[VoteResult | DomainError]:
    """Record many clicks in one go, in order; one outcome per ballot.

    This is the hottest path of a workshop (two hundred people clicking when a session
    ends), so clicks that arrive together are written together (see bot.runtime.ballot_box): two
    reads for the whole batch (the cards with their groups and the voters' earlier votes;
    the voters), then one statement each for the votes, their audit entries and the tallies.
    A refused click (NotFound, VotingClosed) is returned as its error and costs the others
    nothing. Later clicks by the same person on the same card see the earlier ones.
    """
    session.flush()  # what the ORM's autoflush would do: plain statements skip it
    connection = session.connection()  # Core statements, without the ORM's per-call work
    card_ids = sorted({b.recommendation_id for b in ballots})
    names: dict[str, str | None] = {}
    for ballot in ballots:
        names[ballot.user_id] = names.get(ballot.user_id) or ballot.name
    user_ids = sorted(names)
    cards: dict[int, Any] = {}
    earlier: dict[tuple[int, str], str] = {}
    for row in connection.execute(_CARDS, {"ids": card_ids, "user_ids": user_ids}):
        cards[row.id] = row
        if row.voter_user_id is not None:
            earlier[(row.id, row.voter_user_id)] = row.choice
    seen = {
        row.user_id: Seen(row.name, row.country_code)
        for row in connection.execute(_VOTERS, {"user_ids": user_ids})
    }
    voting = {b.user_id for b in ballots if b.recommendation_id in cards}
    delegations = remember_voters(session, {u: names[u] for u in voting}, seen)
    now = utcnow()
    outcomes: list[VoteResult | DomainError] = []
    stored: dict[tuple[int, str], dict[str, Any]] = {}
    entries: list[dict[str, Any]] = []
    for ballot in ballots:
        card = cards.get(ballot.recommendation_id)
        if card is None:
            outcomes.append(NotFound(what="recommendation"))
            continue
        if not card.is_open:
            outcomes.append(VotingClosed(group=card.group_name))
            continue
        number = f"{card.code}-{card.seq}"
        key = (ballot.recommendation_id, ballot.user_id)
        previous = earlier.get(key)
        choice = ballot.choice
        changed = previous != choice.value
        outcomes.append(
            VoteResult(
                ballot.recommendation_id,
                number,
                choice,
                Choice(previous) if previous else None,
                changed,
            )
        )
        if not changed:
            continue
        earlier[key] = choice.value
        stored[key] = {
            "recommendation_id": ballot.recommendation_id,
            "voter_user_id": ballot.user_id,
            "choice": choice.value,
            "country_code": delegations.get(ballot.user_id),
            "updated_at": now,
        }
        entries.append(
            {
                "at": now,
                "actor_user_id": ballot.user_id,
                "action": "vote",
                "group_key": card.group_key,
                "target": number,
                "detail": {"choice": choice.value, "previous": previous},
                "request_id": ballot.request_id,
            }
        )
    if stored:
        changed_cards = sorted({k[0] for k in stored})
        with one_round_trip(connection):
            # Rows in a fixed order, so that two instances writing at once cannot deadlock.
            connection.execute(_upsert(dialect_of(session)), [stored[k] for k in sorted(stored)])
            connection.execute(_AUDIT, entries)
            # Last: on PostgreSQL this locks the cards' rows until the commit.
            connection.execute(_BUMP_TALLY, [{"rid": rid} for rid in changed_cards])
        for recommendation_id in changed_cards:
            _expire_tally(session, recommendation_id)
    return outcomes


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
_CARDS = (  # each card with its group, and the batch's voters' earlier votes on it
    select(
        _RECS.c.id,
        _RECS.c.seq,
        _GROUPS.c.code,
        _GROUPS.c.key.label("group_key"),
        _GROUPS.c.name.label("group_name"),
        _GROUPS.c.is_open,
        _VOTES.c.voter_user_id,
        _VOTES.c.choice,
    )
    .join(_GROUPS, _GROUPS.c.id == _RECS.c.group_id)
    .outerjoin(
        _VOTES,
        and_(
            _VOTES.c.recommendation_id == _RECS.c.id,
            _VOTES.c.voter_user_id.in_(bindparam("user_ids", expanding=True)),
        ),
    )
    .where(_RECS.c.id.in_(bindparam("ids", expanding=True)))
)
_VOTERS = select(_PEOPLE.c.user_id, _PEOPLE.c.name, _PEOPLE.c.country_code).where(
    _PEOPLE.c.user_id.in_(bindparam("user_ids", expanding=True))
)
_BUMP_TALLY = (
    update(_RECS)
    .where(_RECS.c.id == bindparam("rid"))
    .values(tally_version=_RECS.c.tally_version + 1)
)
_AUDIT = AuditEntry.__table__.insert().inline()  # no RETURNING of the new id: not needed


@cache
def _upsert(dialect: str) -> Any:
    """Insert the vote, or replace a different earlier choice."""
    statement = insert_for(dialect, _VOTES).inline()  # no RETURNING of the new id
    return statement.on_conflict_do_update(
        index_elements=["recommendation_id", "voter_user_id"],
        set_={
            "choice": statement.excluded.choice,
            "country_code": statement.excluded.country_code,
            "updated_at": statement.excluded.updated_at,
        },
        where=_VOTES.c.choice != statement.excluded.choice,
    )


def _expire_tally(session: Session, recommendation_id: int) -> None:
    """Keep a Recommendation this session already holds in step with the plain UPDATE."""
    key = session.identity_key(Recommendation, recommendation_id)  # type: ignore[arg-type]
    recommendation = session.identity_map.get(key)
    if recommendation is not None:
        session.expire(recommendation, ["tally_version"])
