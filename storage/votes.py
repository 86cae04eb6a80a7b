"""Casting votes: every click stored, with who made it, for which delegation, in which order.

A person has one stored vote per recommendation (their latest choice). How the clicks count
is the group's procedure (storage.tallies): by vote, each person's; by delegation, each
delegation's latest click; by consensus the vote buttons are not used (storage.objections).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy.orm import Session

from storage.actors import Actor
from storage.dialect import dialect_of, one_round_trip
from storage.errors import (
    DomainError,
    InvalidInput,
    NoConfirmedDelegation,
    NotFound,
    ObserverRefused,
    VotingClosed,
    WrongProcedure,
)
from storage.models import Choice, Procedure, Recommendation, Role, utcnow
from storage.participants import awaiting_match
from storage.people import Seen, remember_voters
from storage.rules import Counts, default_procedure, effective_procedure
from storage.tallies import person_counts
from storage.texts import require_open
from storage.visibility import ballots_of, secret_ballots
from storage.vote_batch import AUDIT as _AUDIT
from storage.vote_batch import BUMP_TALLY as _BUMP_TALLY
from storage.vote_batch import CARDS as _CARDS
from storage.vote_batch import VOTERS as _VOTERS
from storage.vote_batch import Clicks, held_ballots, number_clicks
from storage.vote_batch import upsert as _upsert


@dataclass(frozen=True)
class VoteResult:
    """What a click did.

    By vote: `previous` is the voter's own earlier choice. By delegation: it is the
    delegation's ballot before the click, `delegation` the delegation voted for, and
    `previous_by` the name of whoever cast that ballot when it was not the voter.
    """

    recommendation_id: int
    number: str
    choice: Choice
    previous: Choice | None
    changed: bool
    delegation: str | None = None
    previous_by: str | None = None


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

    A different choice replaces the earlier one; the same choice changes nothing (by
    delegation: unless it changes the delegation's ballot). Raises NotFound, VotingClosed,
    ObserverRefused, NoConfirmedDelegation, WrongProcedure.
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
    the voters with their confirmed delegation and role), a third only when a card's group
    decides by delegation (its delegations' ballots), then one statement each for the
    tallies, the votes and their audit entries. A refused click (NotFound, VotingClosed, an
    observer's, one without a confirmed delegation where the group needs one, a vote in a
    group deciding by consensus) is returned as its error and costs the others nothing.
    Later clicks in the batch see the earlier ones.
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
    seen: dict[str, Seen] = {}
    confirmed: dict[str, tuple[str | None, str | None]] = {}  # user id: (delegation, role)
    for row in connection.execute(_VOTERS, {"user_ids": user_ids}):
        seen[row.user_id] = Seen(row.name, row.country_code)
        confirmed[row.user_id] = (row.delegation, row.role)
    default = default_procedure(session)
    default_ballots = ballots_of(session, None)
    procedures = {rid: effective_procedure(c.procedure, default) for rid, c in cards.items()}
    voting = {b.user_id for b in ballots if b.recommendation_id in cards}
    delegations = remember_voters(session, {u: names[u] for u in voting}, seen)
    held = held_ballots(connection, procedures, confirmed)
    now = utcnow()
    outcomes: list[VoteResult | DomainError] = []
    stored: dict[tuple[int, str], dict[str, Any]] = {}
    clicks: Clicks = {}  # the stored ones, per card
    entries: list[dict[str, Any]] = []
    for ballot in ballots:
        card = cards.get(ballot.recommendation_id)
        if card is None:
            outcomes.append(NotFound(what="recommendation"))
            continue
        if not card.is_open:
            outcomes.append(VotingClosed(group=card.group_name))
            continue
        if card.status != "open":  # a click left on a withdrawn or merged card
            outcomes.append(_not_open(session, ballot.recommendation_id))
            continue
        number = f"{card.code}-{card.seq}"
        procedure = procedures[ballot.recommendation_id]
        delegation, role = confirmed.get(ballot.user_id, (None, None))
        if role is not None or procedure is not Procedure.VOTE:  # else: as before procedures
            refusal = _refusal(card.group_name, number, procedure, delegation, role)
            if isinstance(refusal, NoConfirmedDelegation):  # the refusal path only
                refusal.params["matching"] = awaiting_match(session, ballot.user_id)
            if refusal is not None:
                outcomes.append(refusal)
                continue
        key = (ballot.recommendation_id, ballot.user_id)
        own = earlier.get(key)
        choice = ballot.choice
        previous, previous_by, ballot_of = own, None, None
        if procedure is Procedure.DELEGATION:
            ballot_of = (ballot.recommendation_id, delegation or "")
            standing = held.get(ballot_of)  # (choice, user id, name) of the delegation's ballot
            previous = standing[0] if standing else None
            if standing and standing[1] != ballot.user_id:
                previous_by = standing[2]
        changed = own != choice.value or previous != choice.value
        outcomes.append(
            VoteResult(
                ballot.recommendation_id,
                number,
                choice,
                Choice(previous) if previous else None,
                changed,
                delegation if ballot_of else None,
                previous_by,
            )
        )
        if changed and ballot_of:
            held[ballot_of] = (choice.value, ballot.user_id, _name(ballot.user_id, seen, names))
        if not changed:
            continue
        earlier[key] = choice.value
        stored[key] = {
            "b_rid": ballot.recommendation_id,
            "b_uid": ballot.user_id,
            "b_choice": choice.value,
            "b_country": delegations.get(ballot.user_id),
            "b_delegation": delegation,
            "b_at": now,
            "b_back": 0,
        }
        clicks.setdefault(ballot.recommendation_id, []).append((key, delegation))
        detail: dict[str, Any] = {"choice": choice.value, "previous": own}
        if secret_ballots(card.ballots, default_ballots, procedure):
            detail = {"ballot": "secret", "changed": own is not None}  # that, never the choice
        if delegation is not None:
            detail["delegation"] = delegation
        entries.append(
            {
                "at": now,
                "actor_user_id": ballot.user_id,
                "action": "vote",
                "group_key": card.group_key,
                "target": number,
                "detail": detail,
                "request_id": ballot.request_id,
            }
        )
    if stored:
        bumps = number_clicks(stored, clicks)
        with one_round_trip(connection):
            # The tallies first: on PostgreSQL this locks the cards' rows until the commit, so
            # a click's seq (its card's tally_version after this bump, read by the upsert)
            # comes after those of every batch committed before. Rows in a fixed order, so
            # that two instances writing at once cannot deadlock.
            connection.execute(_BUMP_TALLY, [{"rid": rid, "n": bumps[rid]} for rid in bumps])
            connection.execute(_upsert(dialect_of(session)), [stored[k] for k in sorted(stored)])
            connection.execute(_AUDIT, entries)
        for recommendation_id in bumps:
            _expire_tally(session, recommendation_id)
    return outcomes


def counts(session: Session, recommendation_id: int) -> Counts:
    """One vote per person: the recommendation's tally in a group deciding by vote."""
    return person_counts(session, recommendation_id)


def _refusal(
    group: str, number: str, procedure: Procedure, delegation: str | None, role: str | None
) -> DomainError | None:
    """Why this voter's click cannot count in this group, if it cannot."""
    if procedure is Procedure.CONSENSUS:
        return WrongProcedure(group=group, procedure=procedure.value, number=number, action="vote")
    if role == Role.OBSERVER:
        return ObserverRefused(group=group, organisation=delegation, action="vote")
    if procedure is Procedure.DELEGATION and not delegation:
        return NoConfirmedDelegation(group=group, procedure=procedure.value, action="vote")
    return None


def _name(user_id: str, seen: dict[str, Seen], names: dict[str, str | None]) -> str:
    known = seen.get(user_id)
    return (known.name if known else None) or names.get(user_id) or user_id


def _expire_tally(session: Session, recommendation_id: int) -> None:
    """Keep a Recommendation this session already holds in step with the plain UPDATE."""
    key = session.identity_key(Recommendation, recommendation_id)  # type: ignore[arg-type]
    recommendation = session.identity_map.get(key)
    if recommendation is not None:
        session.expire(recommendation, ["tally_version"])


def _not_open(session: Session, recommendation_id: int) -> DomainError:
    """Why a withdrawn or merged recommendation takes no vote (read on the refusal path only)."""
    rec = session.get(Recommendation, recommendation_id)
    if rec is None:
        return NotFound(what="recommendation")
    try:
        require_open(session, rec)
    except DomainError as refusal:
        return refusal
    return NotFound(what="recommendation")
