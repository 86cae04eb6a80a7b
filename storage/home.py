"""What a person's App Home shows, read in one go.

Everyone: their place (role and delegation: confirmed by the participant list, else
declared), the recommendations waiting for their vote (storage.home_waiting), their own
recommendations, the deadlines of their groups, and every group at a glance. Rapporteurs
(their groups) and organizers (every group): each group's state and its latest outcome
document (storage.home_groups).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.orm import Session

from storage.groups import all_groups, involvement
from storage.home_groups import (
    Document,
    GroupState,
    Shown,
    group_state,
    latest_documents,
    shown_counts,
)
from storage.home_waiting import Item, recommendations, their_groups, waiting_for
from storage.models import Person, Procedure, Role, as_utc
from storage.rules import AdoptionRule, procedure_of

__all__ = ["HomeState", "Item", "Own", "home_state"]


@dataclass(frozen=True)
class Own:
    """One of the person's own recommendations, with where it stands."""

    item: Item
    is_open: bool  # its group's voting
    procedure: Procedure
    status: str  # open, withdrawn or merged
    shown: Shown | None  # None: withdrawn or merged (not counted)


@dataclass(frozen=True)
class Deadline:
    """When voting closes by itself in one of the person's groups."""

    group_name: str
    deadline_at: datetime  # UTC
    zone: str  # the IANA zone it was set in


@dataclass(frozen=True)
class Overview:
    """A group at a glance, with the person's own part in it."""

    key: str
    name: str
    channel_id: str | None
    is_open: bool
    recommendations: int
    mine: bool  # they are its rapporteur
    submitted: int
    voted: int

    @property
    def involved(self) -> bool:
        """Whether they report on it, or submitted or voted in it."""
        return self.mine or bool(self.submitted or self.voted)


@dataclass(frozen=True)
class Place:
    """Who the person is at the workshop."""

    name: str | None
    role: str  # organizer, rapporteur, delegate or observer
    delegation: str | None  # a State's code; an observer's organisation
    confirmed: bool  # by the participant list (or /wg seat), not declared


@dataclass(frozen=True)
class HomeState:
    """Everything one person's Home shows."""

    user_id: str
    place: Place
    waiting: tuple[Item, ...]
    consensus: tuple[str, ...]  # their open groups deciding by consensus: nothing to vote on
    own: tuple[Own, ...]
    deadlines: tuple[Deadline, ...]
    cockpit: tuple[GroupState, ...]  # rapporteurs: their groups; organizers: every group
    documents: tuple[tuple[str | None, Document], ...]  # (group name, its latest document)
    overview: tuple[Overview, ...]


def home_state(
    session: Session, *, user_id: str, is_organizer: bool, rule: AdoptionRule
) -> HomeState:
    """Read what `user_id`'s Home shows (`is_organizer`: ORGANIZER_USER_IDS names them)."""
    groups = all_groups(session)
    keyed = {g.key: g for g in groups}
    person = session.get(Person, user_id)
    reporting = {g.key for g in groups if g.rapporteur_user_id == user_id}
    done = involvement(session, user_id)
    theirs = their_groups(session, user_id, keyed, reporting | set(done))
    recs = recommendations(session)
    cockpit = [g for g in groups if is_organizer or g.key in reporting]
    cockpit_keys = {g.key for g in cockpit}
    wanted: dict[int, list[int]] = {}  # by group id: the standing recommendations counted
    for rec in recs:
        if rec.standing and (rec.item.group_key in cockpit_keys or rec.author == user_id):
            wanted.setdefault(keyed[rec.item.group_key].id, []).append(rec.item.id)
    shown = shown_counts(session, groups, wanted, rule)
    procedures = {g.key: procedure_of(session, g.procedure) for g in groups}
    waiting, consensus = waiting_for(session, user_id, person, keyed, theirs, procedures, recs)
    counted = Counter(rec.item.group_key for rec in recs if rec.standing)
    documents = latest_documents(session, cockpit_keys, workshop=is_organizer)
    order = {g.key: g.position for g in groups}
    return HomeState(
        user_id=user_id,
        place=_place(person, is_organizer=is_organizer, reports=bool(reporting)),
        waiting=waiting,
        consensus=consensus,
        own=tuple(
            Own(
                rec.item,
                keyed[rec.item.group_key].is_open,
                procedures[rec.item.group_key],
                rec.status,
                shown.get(rec.item.id),
            )
            for rec in recs
            if rec.author == user_id
        ),
        deadlines=tuple(
            Deadline(g.name, as_utc(g.deadline_at), g.deadline_zone or "UTC")
            for g in groups
            if g.is_open and g.deadline_at and (g.key in theirs or g.key in cockpit_keys)
        ),
        cockpit=tuple(group_state(session, g, wanted.get(g.id, []), shown) for g in cockpit),
        documents=tuple(
            (keyed[key].name if key else None, documents[key])
            for key in sorted(documents, key=lambda k: order.get(k or "", len(order)))
        ),
        overview=tuple(
            Overview(
                g.key,
                g.name,
                g.channel_id,
                g.is_open,
                counted[g.key],
                g.key in reporting,
                *(done[g.key].submitted, done[g.key].voted) if g.key in done else (0, 0),
            )
            for g in groups
        ),
    )


def _place(person: Person | None, *, is_organizer: bool, reports: bool) -> Place:
    """The person's role and delegation: confirmed by the list, else declared."""
    confirmed = person is not None and bool(person.delegation)
    listed_role = person.role if person is not None and confirmed else None
    if is_organizer:
        role = "organizer"
    elif reports or listed_role == Role.RAPPORTEUR.value:
        role = "rapporteur"
    else:
        role = listed_role or Role.DELEGATE.value
    if person is None:
        return Place(None, role, None, False)
    delegation = person.delegation if confirmed else person.country_code
    return Place(person.name, role, delegation, confirmed)
