"""Objections: in a group deciding by consensus, what stops a recommendation's adoption.

An objection belongs to a delegation, not to the delegate who entered it: any confirmed
delegate of the delegation may change its reason or withdraw it. One per delegation per
recommendation; objecting again replaces the reason. Observers never object.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import Select, delete, select, update
from sqlalchemy.orm import Session

from storage import audit
from storage.actors import Actor
from storage.countries import country_name
from storage.dialect import insert
from storage.errors import (
    InvalidInput,
    NoConfirmedDelegation,
    NoObjectionToWithdraw,
    ObserverRefused,
    WrongProcedure,
)
from storage.models import Objection, Person, Procedure, Recommendation, Role, utcnow
from storage.participants import awaiting_match
from storage.recommendations import get
from storage.rules import procedure_of
from storage.texts import require_open

REASON_MIN = 10
REASON_MAX = 1000


@dataclass(frozen=True)
class Standing:
    """A delegation's standing objection, as cards and documents show it."""

    delegation: str  # ISO code of a State
    delegation_name: str  # "Thailand"
    reason: str  # verbatim


@dataclass(frozen=True)
class ObjectionChange:
    """What an objection or a withdrawal did."""

    recommendation_id: int
    number: str
    delegation: str
    delegation_name: str
    replaced: bool = False  # an objection: the delegation's earlier reason was replaced


def check_reason(reason: str | None) -> str:
    """The reason, verbatim; raises InvalidInput when blank, under 10 or over 1,000 characters."""
    if reason is None or not reason.strip():
        raise InvalidInput("reason", "empty", limit=REASON_MIN)
    if len(reason.strip()) < REASON_MIN:
        raise InvalidInput("reason", "too_short", limit=REASON_MIN, length=len(reason.strip()))
    if len(reason) > REASON_MAX:
        raise InvalidInput("reason", "too_long", limit=REASON_MAX, length=len(reason))
    return reason


def delegation_name(code: str) -> str:
    """How a delegation is named: a State's UN name, an organisation's own."""
    return country_name(code)


def confirmed_delegation(session: Session, user_id: str, *, group: str, action: str) -> str:
    """The person's confirmed delegation, if they may act for it in a group deciding by
    delegation or by consensus; raises ObserverRefused, NoConfirmedDelegation."""
    person = session.get(Person, user_id)
    delegation, role = (person.delegation, person.role) if person else (None, None)
    if role == Role.OBSERVER:
        raise ObserverRefused(group=group, organisation=delegation, action=action)
    if not delegation:
        raise NoConfirmedDelegation(
            group=group,
            procedure=Procedure.CONSENSUS.value,
            action=action,
            matching=awaiting_match(session, user_id),
        )
    return delegation


def reason_of(session: Session, *, actor: Actor, recommendation_id: int) -> str | None:
    """Check that the actor may object to this recommendation now; their delegation's
    standing reason, if any. Raises as `object_to` does."""
    rec = _consensus_card(session, recommendation_id, "object")
    delegation = confirmed_delegation(session, actor.user_id, group=rec.group.name, action="object")
    return session.scalar(_reason(rec.id, delegation))


def object_to(
    session: Session, *, actor: Actor, recommendation_id: int, reason: str | None
) -> ObjectionChange:
    """Enter (or replace) the actor's delegation's objection.

    Raises InvalidInput (the reason), NotFound, WrongProcedure (not a consensus group),
    VotingClosed, ObserverRefused, NoConfirmedDelegation.
    """
    text = check_reason(reason)
    rec = _consensus_card(session, recommendation_id, "object")
    delegation = confirmed_delegation(session, actor.user_id, group=rec.group.name, action="object")
    earlier = session.scalar(_reason(rec.id, delegation))
    statement = insert(session, Objection).values(
        recommendation_id=rec.id,
        delegation=delegation,
        reason=text,
        user_id=actor.user_id,
        updated_at=utcnow(),
    )
    session.execute(  # race-free: two delegates of one delegation objecting at once
        statement.on_conflict_do_update(
            index_elements=["recommendation_id", "delegation"],
            set_={
                "reason": statement.excluded.reason,
                "user_id": statement.excluded.user_id,
                "updated_at": statement.excluded.updated_at,
            },
        )
    )
    _show(session, rec)
    audit.record(
        session,
        actor=actor,
        action="object",
        group_key=rec.group.key,
        target=rec.number,
        delegation=delegation,
        replaced=earlier is not None,
    )
    session.flush()
    return ObjectionChange(
        rec.id, rec.number, delegation, delegation_name(delegation), earlier is not None
    )


def withdraw(session: Session, *, actor: Actor, recommendation_id: int) -> ObjectionChange:
    """Withdraw the actor's delegation's objection.

    Raises NoObjectionToWithdraw (their delegation has none: another delegation's objection
    is theirs to withdraw), and what `object_to` raises.
    """
    rec = _consensus_card(session, recommendation_id, "withdraw")
    delegation = confirmed_delegation(
        session, actor.user_id, group=rec.group.name, action="withdraw"
    )
    gone = session.execute(
        delete(Objection).where(
            Objection.recommendation_id == rec.id, Objection.delegation == delegation
        )
    )
    if gone.rowcount == 0:
        others = standing(session, [rec.id]).get(rec.id, ())
        raise NoObjectionToWithdraw(
            delegation=delegation_name(delegation),
            number=rec.number,
            objecting=[o.delegation_name for o in others],
        )
    _show(session, rec)
    audit.record(
        session,
        actor=actor,
        action="withdraw objection",
        group_key=rec.group.key,
        target=rec.number,
        delegation=delegation,
    )
    session.flush()
    return ObjectionChange(rec.id, rec.number, delegation, delegation_name(delegation))


def standing(
    session: Session, recommendation_ids: Sequence[int]
) -> dict[int, tuple[Standing, ...]]:
    """The standing objections to each of these recommendations, by delegation name."""
    found: dict[int, list[Standing]] = {}
    rows = session.execute(
        select(Objection.recommendation_id, Objection.delegation, Objection.reason).where(
            Objection.recommendation_id.in_(recommendation_ids)
        )
    )
    for rec_id, delegation, reason in rows:
        found.setdefault(rec_id, []).append(
            Standing(delegation, delegation_name(delegation), reason)
        )
    return {
        rec_id: tuple(sorted(items, key=lambda o: o.delegation_name))
        for rec_id, items in found.items()
    }


def _consensus_card(session: Session, recommendation_id: int, action: str) -> Recommendation:
    """The recommendation, if its group decides by consensus and is open."""
    rec = get(session, recommendation_id)
    procedure = procedure_of(session, rec.group.procedure)
    if procedure is not Procedure.CONSENSUS:
        raise WrongProcedure(
            group=rec.group.name, procedure=procedure.value, number=rec.number, action=action
        )
    require_open(session, rec)  # closed group, or a withdrawn or merged recommendation
    return rec


def _reason(recommendation_id: int, delegation: str) -> Select[tuple[str]]:
    return select(Objection.reason).where(
        Objection.recommendation_id == recommendation_id, Objection.delegation == delegation
    )


def _show(session: Session, rec: Recommendation) -> None:
    """Have the card re-rendered (bot.delivery.cards): its objections changed."""
    session.execute(
        update(Recommendation)
        .where(Recommendation.id == rec.id)
        .values(tally_version=Recommendation.tally_version + 1)
    )
    session.expire(rec, ["tally_version"])
