"""Reservations: a delegation's statement on a recommendation, recorded in the report.

A reservation belongs to a delegation, not to the person who typed it: any confirmed
delegate of that delegation (a State's, never an observer's) enters, changes or withdraws
it, while the group is open and after it closed. It never changes the outcome. Each change
bumps the recommendation's tally_version, so its card (`Reservations: TH, VN`) is brought
up to date, even after a crash (bot.delivery.sweep). Its message in the card's thread is
owed while `thread_ts` is NULL: posted after the commit, or later by the sweep.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection
from dataclasses import dataclass
from datetime import UTC, datetime
from enum import StrEnum

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from storage import audit
from storage.actors import Actor
from storage.countries import country_name
from storage.errors import DomainError, NotFound
from storage.limits import clean_required
from storage.models import Person, Recommendation, Reservation, Role, utcnow
from storage.recommendations import get
from storage.records import ReservationRecord

RESERVATION_MAX = 1500  # characters, checked by the app whatever the modal allowed
FIELD = "reservation"  # how InvalidInput names the text (templates/messages/labels.toml)


class Refusal(StrEnum):
    """Why a person may not act on a delegation's reservation."""

    NOT_LISTED = "not_listed"  # no confirmed delegation (not on the participant list)
    OBSERVER = "observer"  # observers never enter reservations
    OTHER_DELEGATION = "other_delegation"  # a delegate of another delegation


class NotADelegate(DomainError):
    """The person may not act on this reservation (params: reason, and what it names:
    declared, organisation, yours, theirs)."""

    def __init__(self, reason: Refusal, **params: object) -> None:
        super().__init__(reason.value, reason=reason.value, **params)
        self.reason = reason


class Change(StrEnum):
    """What a submission did to a delegation's reservation."""

    ENTERED = "entered"
    CHANGED = "changed"
    WITHDRAWN = "withdrawn"
    UNCHANGED = "unchanged"  # the same text again: nothing stored, nothing posted


@dataclass(frozen=True)
class Standing:
    """The delegation a person speaks for, with the name documents give it."""

    delegation: str
    name: str


@dataclass(frozen=True)
class Form:
    """What the reservation form opens with: for whom, and the text standing now."""

    recommendation_id: int
    number: str
    delegation: str
    delegation_name: str
    text: str | None  # the delegation's reservation, None if it has none


@dataclass(frozen=True)
class Outcome:
    """A reservation change, as what follows the commit needs it (plain values)."""

    change: Change
    recommendation_id: int
    number: str
    delegation: str
    delegation_name: str
    text: str | None  # the reservation now (None once withdrawn)
    reservation_id: int | None
    channel_id: str | None  # the card's place, where its thread is
    card_ts: str | None


@dataclass(frozen=True)
class Owed:
    """A stored reservation whose message in the card's thread is still owed."""

    reservation_id: int
    delegation_name: str
    text: str
    channel_id: str
    card_ts: str


def delegation_name(delegation: str) -> str:
    """A State's name as UN documents write it (from its ISO code); an organisation's as is."""
    if len(delegation) == 2 and delegation.isascii() and delegation.isalpha():
        return country_name(delegation.upper())
    return delegation


def standing(session: Session, user_id: str) -> Standing:
    """The confirmed delegation `user_id` speaks for; raises NotADelegate (not listed,
    or an observer)."""
    person = session.get(Person, user_id)
    if person is None or not person.delegation:
        declared = person.country_code if person is not None else None
        raise NotADelegate(Refusal.NOT_LISTED, declared=declared)
    if person.role == Role.OBSERVER.value:
        raise NotADelegate(Refusal.OBSERVER, organisation=person.delegation)
    return Standing(person.delegation, delegation_name(person.delegation))


def form(session: Session, *, user_id: str, recommendation_id: int) -> Form:
    """What the form shows this person; raises NotADelegate, NotFound."""
    me = standing(session, user_id)
    rec = get(session, recommendation_id)
    current = _current(session, rec.id, me.delegation)
    text = current.text if current is not None else None
    return Form(rec.id, rec.number, me.delegation, me.name, text)


def enter(
    session: Session, *, actor: Actor, recommendation_id: int, delegation: str, text: str | None
) -> Outcome:
    """Enter or replace `delegation`'s reservation with `text` (verbatim).

    Raises InvalidInput (empty, over RESERVATION_MAX), NotADelegate, NotFound. The same text
    again changes nothing.
    """
    text = clean_required(FIELD, text, RESERVATION_MAX)
    rec = _acting_on(session, actor, recommendation_id, delegation)
    _bump(session, rec)  # first: it takes the row lock that puts concurrent changes in turn
    existing = _current(session, rec.id, delegation)
    if existing is not None and existing.text == text:
        return _outcome(Change.UNCHANGED, rec, delegation, existing)
    previous = existing.text if existing is not None else None
    if existing is None:
        existing = Reservation(recommendation_id=rec.id, delegation=delegation, text=text)
        session.add(existing)
    existing.text = text
    existing.user_id = actor.user_id
    existing.thread_ts = None  # the new text is owed to the thread
    existing.updated_at = utcnow()
    change = Change.ENTERED if previous is None else Change.CHANGED
    audit.record(
        session,
        actor=actor,
        action=f"reservation_{'enter' if previous is None else 'change'}",
        group_key=rec.group.key,
        target=rec.number,
        delegation=delegation,
        text=text,
        previous=previous,
    )
    session.flush()
    return _outcome(change, rec, delegation, existing)


def withdraw(session: Session, *, actor: Actor, recommendation_id: int, delegation: str) -> Outcome:
    """Withdraw `delegation`'s reservation; raises NotADelegate, NotFound (none to withdraw)."""
    rec = _acting_on(session, actor, recommendation_id, delegation)
    _bump(session, rec)
    existing = _current(session, rec.id, delegation)
    if existing is None:
        raise NotFound(what="reservation")
    previous = existing.text
    session.delete(existing)
    audit.record(
        session,
        actor=actor,
        action="reservation_withdraw",
        group_key=rec.group.key,
        target=rec.number,
        delegation=delegation,
        previous=previous,
    )
    session.flush()
    return _outcome(Change.WITHDRAWN, rec, delegation, None)


def codes(session: Session, recommendation_id: int) -> tuple[str, ...]:
    """The delegations holding a reservation on a recommendation, sorted (`TH`, `VN`)."""
    return tuple(
        sorted(
            session.scalars(
                select(Reservation.delegation).where(
                    Reservation.recommendation_id == recommendation_id
                )
            )
        )
    )


def for_groups(
    session: Session, group_ids: Collection[int]
) -> dict[int, tuple[ReservationRecord, ...]]:
    """Every reservation on the groups' recommendations, by recommendation (one query),
    each recommendation's in the alphabetical order of its delegations' names."""
    found: dict[int, list[ReservationRecord]] = defaultdict(list)
    rows = session.execute(
        select(Reservation.recommendation_id, Reservation.delegation, Reservation.text)
        .join(Recommendation, Recommendation.id == Reservation.recommendation_id)
        .where(Recommendation.group_id.in_(list(group_ids)))
    )
    for rec_id, delegation, text in rows:
        found[rec_id].append(ReservationRecord(delegation, delegation_name(delegation), text))
    return {
        rec_id: tuple(sorted(items, key=lambda r: (r.delegation_name, r.delegation)))
        for rec_id, items in found.items()
    }


def mark_posted(session: Session, reservation_id: int, text: str, thread_ts: str) -> bool:
    """Remember the thread message showing `text`, unless the reservation changed since
    (its newer text is still owed); False then, or if it was withdrawn."""
    result = session.execute(
        update(Reservation)
        .where(Reservation.id == reservation_id, Reservation.text == text)
        .values(thread_ts=thread_ts)
    )
    return bool(result.rowcount)


def owed(session: Session, *, now: float, older_than: float) -> list[Owed]:
    """Reservations whose thread message is owed, stored over `older_than` s ago (the
    request that stored one posts it; these lost their post to a crash or a refusal)."""
    before = datetime.fromtimestamp(now - older_than, UTC)
    rows = session.execute(
        select(
            Reservation.id,
            Reservation.delegation,
            Reservation.text,
            Recommendation.channel_id,
            Recommendation.message_ts,
        )
        .join(Recommendation, Recommendation.id == Reservation.recommendation_id)
        .where(
            Reservation.thread_ts.is_(None),
            Reservation.updated_at < before,
            Recommendation.message_ts.is_not(None),
            Recommendation.channel_id.is_not(None),
        )
        .order_by(Reservation.id)
    )
    return [
        Owed(row.id, delegation_name(row.delegation), row.text, row.channel_id, row.message_ts)
        for row in rows
    ]


def _acting_on(
    session: Session, actor: Actor, recommendation_id: int, delegation: str
) -> Recommendation:
    """The recommendation, once the actor is known to speak for `delegation`."""
    me = standing(session, actor.user_id)
    if me.delegation != delegation:
        raise NotADelegate(
            Refusal.OTHER_DELEGATION, yours=me.name, theirs=delegation_name(delegation)
        )
    return get(session, recommendation_id)


def _current(session: Session, recommendation_id: int, delegation: str) -> Reservation | None:
    return session.scalar(
        select(Reservation).where(
            Reservation.recommendation_id == recommendation_id,
            Reservation.delegation == delegation,
        )
    )


def _bump(session: Session, rec: Recommendation) -> None:
    """Have the card re-rendered. On PostgreSQL this also locks the recommendation's row
    until the commit, so two delegates of one delegation change its reservation in turn."""
    session.execute(
        update(Recommendation)
        .where(Recommendation.id == rec.id)
        .values(tally_version=Recommendation.tally_version + 1)
        .execution_options(synchronize_session=False)
    )
    session.expire(rec, ["tally_version"])


def _outcome(
    change: Change, rec: Recommendation, delegation: str, row: Reservation | None
) -> Outcome:
    return Outcome(
        change,
        rec.id,
        rec.number,
        delegation,
        delegation_name(delegation),
        row.text if row is not None else None,
        row.id if row is not None else None,
        rec.channel_id,
        rec.message_ts,
    )
