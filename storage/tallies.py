"""Tallies derived from the stored clicks, according to a group's current procedure.

Every click is stored (storage.votes) with who made it, for which delegation and in which
order, so a group may change its procedure at any time: its tallies are read again from the
clicks, nothing is lost. By vote: each person's latest choice. By delegation: each
delegation's latest click, whoever of its confirmed delegates made it. By consensus: no
tally (storage.objections). Observers never count, whenever they clicked.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import ColumnElement, func, select
from sqlalchemy.orm import Session

from storage.models import Choice, Person, Procedure, Role, Vote
from storage.rules import Counts


@dataclass(frozen=True)
class DelegationBallot:
    """A delegation's ballot on a recommendation: its latest click."""

    delegation: str  # ISO code of a State
    choice: Choice
    user_id: str  # who cast it


@dataclass(frozen=True)
class Tally:
    """What a recommendation's card and document show of its votes."""

    counts: Counts
    ballots: tuple[DelegationBallot, ...] = ()  # delegation groups: one per delegation, by code

    def codes(self, choice: Choice) -> tuple[str, ...]:
        """The delegations whose ballot is `choice`, in code order."""
        return tuple(b.delegation for b in self.ballots if b.choice == choice)


def not_observer(voter: Any) -> ColumnElement[bool]:
    """The vote's voter is not an observer now (observers never count)."""
    return voter.not_in(select(Person.user_id).where(Person.role == Role.OBSERVER.value))


def counts_of(rows: Iterable[tuple[str, int]]) -> Counts:
    """Counts from (choice, number) pairs."""
    found = dict(rows)
    return Counts(
        support=found.get(Choice.SUPPORT.value, 0),
        oppose=found.get(Choice.OPPOSE.value, 0),
        abstain=found.get(Choice.ABSTAIN.value, 0),
    )


def person_counts(session: Session, recommendation_id: int) -> Counts:
    """One vote per person: each person's latest choice."""
    return counts_of(
        session.execute(
            select(Vote.choice, func.count())
            .where(Vote.recommendation_id == recommendation_id, not_observer(Vote.voter_user_id))
            .group_by(Vote.choice)
        ).all()
    )


def delegation_ballots(
    session: Session, recommendation_ids: Sequence[int]
) -> dict[int, tuple[DelegationBallot, ...]]:
    """Each delegation's ballot on each of these recommendations, by delegation code."""
    rows = session.execute(
        select(
            Vote.recommendation_id,
            Vote.delegation,
            Vote.choice,
            Vote.voter_user_id,
            Vote.seq,
            Vote.updated_at,
        ).where(
            Vote.recommendation_id.in_(recommendation_ids),
            Vote.delegation.is_not(None),
            not_observer(Vote.voter_user_id),
        )
    )
    return latest_ballots(rows)


def latest_ballots(rows: Iterable[Any]) -> dict[int, tuple[DelegationBallot, ...]]:
    """Reduce clicks to ballots: per recommendation and delegation, the latest click counts.

    `rows` have recommendation_id, delegation, choice, voter_user_id, seq and updated_at.
    Clicks are ordered by seq (the card's click order); equal ones (stored before clicks were
    numbered) by time, then by voter, so that the same clicks always give the same ballot.
    """
    latest: dict[tuple[int, str], Any] = {}
    for row in rows:
        key = (row.recommendation_id, row.delegation)
        held = latest.get(key)
        if held is None or _order(row) > _order(held):
            latest[key] = row
    by_rec: dict[int, list[DelegationBallot]] = {}
    for (rec_id, delegation), row in sorted(latest.items()):
        ballot = DelegationBallot(delegation, Choice(row.choice), row.voter_user_id)
        by_rec.setdefault(rec_id, []).append(ballot)
    return {rec_id: tuple(ballots) for rec_id, ballots in by_rec.items()}


def ballot_counts(ballots: Iterable[DelegationBallot]) -> Counts:
    """Counts of delegations by the choice of their ballot."""
    found: dict[str, int] = {}
    for ballot in ballots:
        found[ballot.choice.value] = found.get(ballot.choice.value, 0) + 1
    return counts_of(found.items())


def tally(session: Session, recommendation_id: int, procedure: Procedure) -> Tally:
    """The recommendation's tally under `procedure` (by consensus: none)."""
    if procedure is Procedure.DELEGATION:
        ballots = delegation_ballots(session, [recommendation_id]).get(recommendation_id, ())
        return Tally(ballot_counts(ballots), ballots)
    if procedure is Procedure.CONSENSUS:
        return Tally(Counts())
    return Tally(person_counts(session, recommendation_id))


def _order(row: Any) -> tuple[int, str, str]:
    return (row.seq or 0, str(row.updated_at or ""), row.voter_user_id)
