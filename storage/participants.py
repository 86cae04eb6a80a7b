"""The participant list: confirmed delegations, seating, and matching people to Slack accounts.

A participant (storage.models.Participant) is a row of the list, matched to a Slack account
(`user_id`) by email, at import or when the person first uses the app. Once matched, the
person's record (storage.models.Person) carries the *confirmed* delegation and role, which
is what the rest of the app reads: `Person.delegation` (an alpha-2 code for a State, the
organisation's name for an observer), `Person.role` and, for a State, `Person.country_code`.
Everything here reads the database afresh: a list imported while the app runs is used at once.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from storage import audit
from storage.actors import Actor
from storage.groups import group_by_key, require_organizer
from storage.limits import NAME_MAX
from storage.models import Participant, Person, Role, utcnow
from storage.people import remember

# Roles whose holder acts for their delegation (casts its ballot, objects, reserves).
ACTING_ROLES = frozenset({Role.DELEGATE, Role.RAPPORTEUR})


@dataclass(frozen=True)
class Confirmed:
    """A person's confirmed place: their delegation and role, from the list or `/wg seat`."""

    delegation: str  # alpha-2 code of a State; an observer's organisation
    role: Role

    @property
    def is_observer(self) -> bool:
        """Observers never count in a tally and never object."""
        return self.role is Role.OBSERVER

    @property
    def acts_for_delegation(self) -> bool:
        """Whether the person may cast, object and reserve for `delegation` (a State's)."""
        return self.role in ACTING_ROLES


def confirmed_delegation(session: Session, user_id: str) -> Confirmed | None:
    """The person's confirmed delegation and role; None if they are not on the list."""
    return confirmed_many(session, [user_id]).get(user_id)


def confirmed_many(session: Session, user_ids: Collection[str]) -> dict[str, Confirmed]:
    """`confirmed_delegation` for many people in one query; the unlisted are left out."""
    if not user_ids:
        return {}
    rows = session.execute(
        select(Person.user_id, Person.delegation, Person.role).where(
            Person.user_id.in_(sorted(set(user_ids))), Person.delegation.is_not(None)
        )
    )
    return {row.user_id: Confirmed(row.delegation, _role(row.role)) for row in rows}


def is_observer(session: Session, user_id: str) -> bool:
    """Whether the person is a confirmed observer."""
    confirmed = confirmed_delegation(session, user_id)
    return confirmed is not None and confirmed.is_observer


@dataclass(frozen=True)
class Listed:
    """One participant as the roster and the outcome document show them."""

    name: str  # the list's name, else the name the app knows for the Slack account
    email: str | None
    delegation: str
    role: Role
    group_key: str | None  # None: every group
    organisation: str | None
    user_id: str | None  # None: not matched to a Slack account yet
    source: str  # "roster" (imported) or "seat" (`/wg seat`)

    @property
    def is_observer(self) -> bool:
        """Whether the participant is an observer (their delegation is an organisation)."""
        return self.role is Role.OBSERVER

    @property
    def matched(self) -> bool:
        """Whether the participant is matched to a Slack account."""
        return self.user_id is not None


def participants(session: Session, *, group_key: str | None = None) -> list[Listed]:
    """The list (every row, or those taking part in one group), by delegation then name."""
    query = select(Participant, Person.name).outerjoin(
        Person, Person.user_id == Participant.user_id
    )
    if group_key is not None:
        query = query.where(
            or_(Participant.group_key == group_key, Participant.group_key.is_(None))
        )
    listed = [_listed(p, known_name) for p, known_name in session.execute(query)]
    return sorted(listed, key=lambda p: (p.delegation.casefold(), p.name.casefold(), p.email or ""))


@dataclass(frozen=True)
class Delegations:
    """Who takes part, for the outcome document: States' codes, then observers apart."""

    states: list[str]  # alpha-2 codes, sorted
    observers: list[str]  # organisations, sorted


def listed_delegations(session: Session) -> Delegations:
    """The delegations on the list (States and observers apart)."""
    rows = session.execute(select(Participant.delegation, Participant.role).distinct())
    states, observers = set(), set()
    for delegation, role in rows:
        (observers if _role(role) is Role.OBSERVER else states).add(delegation)
    return Delegations(sorted(states), sorted(observers, key=str.casefold))


def seat(
    session: Session,
    *,
    actor: Actor,
    user_id: str,
    user_name: str | None,
    delegation: str,
    observer: bool,
) -> Participant:
    """Seat a person (organizers): a delegate of a State (alpha-2 code) or an observer.

    A person already on the list keeps their row (and a rapporteur their role); otherwise
    a row of their own is added. Raises NotPermitted.
    """
    require_organizer(actor, "seat")
    participant = session.scalar(select(Participant).where(Participant.user_id == user_id))
    previous = None
    if participant is None:
        participant = Participant(name="", email=None, user_id=user_id, source="seat")
        session.add(participant)
    else:
        previous = {"delegation": participant.delegation, "role": participant.role}
    if observer:
        role = Role.OBSERVER
    elif participant.role == Role.RAPPORTEUR.value:
        role = Role.RAPPORTEUR
    else:
        role = Role.DELEGATE
    participant.delegation, participant.role = delegation, role.value
    participant.updated_at = utcnow()
    remember(session, user_id, user_name)
    session.flush()
    audit.record(
        session,
        actor=actor,
        action="seat",
        target=user_id,
        delegation=delegation,
        role=role.value,
        previous=previous,
    )
    confirm(session, actor=actor, participant=participant)
    return participant


def confirm(session: Session, *, actor: Actor, participant: Participant) -> None:
    """Give a matched participant's person their confirmed delegation, role and email.

    The list's name wins over a Slack handle. A rapporteur with a group becomes that
    group's rapporteur (audited, as `/wg rapporteur`).
    """
    user_id = participant.user_id
    if user_id is None:
        return
    person = remember(session, user_id, None)
    role = _role(participant.role)
    if participant.name.strip():
        person.name = participant.name.strip()[:NAME_MAX]
    person.delegation = participant.delegation
    person.role = role.value
    person.email = participant.email or person.email
    person.country_code = None if role is Role.OBSERVER else participant.delegation
    person.updated_at = utcnow()
    if role is Role.RAPPORTEUR and participant.group_key:
        group = group_by_key(session, participant.group_key)
        if group.rapporteur_user_id != user_id:
            group.rapporteur_user_id = user_id
            audit.record(
                session,
                actor=actor,
                action="appoint",
                group_key=group.key,
                target=user_id,
                via="participant list",
            )
    session.flush()


@dataclass(frozen=True)
class Standing:
    """What first-use matching needs to know about a person, in one look."""

    listed: bool  # matched to a row already: nothing to do
    email: str | None  # their Slack email, if the app has seen it
    waiting: bool  # the list has rows not matched yet (worth looking the person up)


def standing(session: Session, user_id: str) -> Standing:
    """Whether the person is matched, their known email, and whether anyone waits for a match."""
    listed = session.scalar(select(Participant.id).where(Participant.user_id == user_id))
    email = session.scalar(select(Person.email).where(Person.user_id == user_id))
    waiting = session.scalar(
        select(Participant.id)
        .where(Participant.user_id.is_(None), Participant.email.is_not(None))
        .limit(1)
    )
    return Standing(listed is not None, email, waiting is not None)


def awaiting_match(session: Session, user_id: str) -> bool:
    """Whether a person without a confirmed delegation may be on the list, waiting to be
    matched at first use: a row waits for a match and the app does not know their email yet
    (or a waiting row has it). Two small reads: for refusals, not for every click."""
    if session.scalar(select(Participant.id).where(Participant.user_id == user_id)):
        return False
    email = session.scalar(select(Person.email).where(Person.user_id == user_id))
    waiting = select(Participant.id).where(
        Participant.user_id.is_(None), Participant.email.is_not(None)
    )
    if email is not None:
        waiting = waiting.where(Participant.email == email.strip().lower())
    return session.scalar(waiting.limit(1)) is not None


def note_email(session: Session, user_id: str, email: str) -> None:
    """Remember the email of a person's Slack profile (so a later list matches them at once)."""
    person = remember(session, user_id, None)
    person.email = email.strip().lower()
    session.flush()


def match(session: Session, *, actor: Actor, user_id: str, email: str) -> Participant | None:
    """Match the person to the unmatched row with their email, and confirm them.

    None if no such row waits, or if they are matched already.
    """
    if session.scalar(select(Participant.id).where(Participant.user_id == user_id)):
        return None
    participant = session.scalar(
        select(Participant).where(
            Participant.email == email.strip().lower(), Participant.user_id.is_(None)
        )
    )
    if participant is None:
        return None
    participant.user_id = user_id
    participant.updated_at = utcnow()
    session.flush()
    audit.record(
        session,
        actor=actor,
        action="match",
        group_key=participant.group_key,
        target=user_id,
        email=participant.email,
        delegation=participant.delegation,
    )
    confirm(session, actor=actor, participant=participant)
    return participant


def _listed(participant: Participant, known_name: str | None) -> Listed:
    return Listed(
        name=participant.name.strip() or known_name or "",
        email=participant.email,
        delegation=participant.delegation,
        role=_role(participant.role),
        group_key=participant.group_key,
        organisation=participant.organisation,
        user_id=participant.user_id,
        source=participant.source,
    )


def _role(value: str | None) -> Role:
    try:
        return Role(value or Role.DELEGATE.value)
    except ValueError:
        return Role.DELEGATE
