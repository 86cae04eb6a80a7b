"""Texts that evolve: who may change a recommendation's text or standing, and its versions.

Shared by storage.revisions (edit, withdraw, restore), storage.amendments and
storage.merges: the refusals (one error, `Refused`, with its reason), finding a
recommendation by its number (`EE-3`), the voters told of a change, the card's view of a
text's life, and storing a new version. Every change bumps the recommendation's
tally_version first: on PostgreSQL that locks its row until the commit, so two changes to one
recommendation happen in turn (each sees the other's result), and its card is re-rendered,
even after a crash (bot.delivery.sweep).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum

from sqlalchemy import exists, select, update
from sqlalchemy.orm import Session

from storage.actors import Actor
from storage.errors import DomainError, VotingClosed
from storage.models import (
    Cause,
    Choice,
    Group,
    Person,
    Procedure,
    Recommendation,
    Revision,
    Role,
    TextStatus,
    Vote,
    utcnow,
)
from storage.rules import procedure_of
from storage.tallies import delegation_ballots, not_observer

NUMBER = re.compile(r"^\s*([A-Za-z]{1,8})-(\d{1,9})\s*$")


class Refusal(StrEnum):
    """Why a change to a recommendation's text or standing is refused."""

    NOT_AUTHOR = "not_author"  # Edit…: its author only
    NOT_DECIDER = "not_decider"  # Withdraw, Accept, Reject: author, rapporteur, organizer
    NOT_A_VOTER = "not_a_voter"  # Propose an amendment…: whoever may vote in the group
    WITHDRAWN = "withdrawn"  # the recommendation is withdrawn
    MERGED = "merged"  # …merged into another
    NOT_WITHDRAWN = "not_withdrawn"  # /wg restore: it is neither withdrawn nor merged
    SAME = "same"  # merged into itself
    OTHER_GROUP = "other_group"  # across groups, or from another group's channel
    TARGET_WITHDRAWN = "target_withdrawn"
    TARGET_MERGED = "target_merged"
    NO_TARGETS = "no_targets"  # no other open recommendation to merge into
    UNKNOWN_NUMBER = "unknown_number"  # no recommendation has that number
    DECIDED = "decided"  # the amendment was already accepted, rejected or withdrawn
    CHANGED = "changed"  # the text changed since the form was opened
    SAME_TEXT = "same_text"  # an amendment must differ from the current text


class Refused(DomainError):
    """The change is refused (params: reason, number, and what the reason names)."""

    def __init__(self, reason: Refusal, **params: object) -> None:
        super().__init__(reason.value, reason=reason.value, **params)
        self.reason = reason


@dataclass(frozen=True)
class Voter:
    """Someone who had voted before a change: a person, or a delegation's latest voter."""

    user_id: str
    choice: Choice


@dataclass(frozen=True)
class TextLife:
    """What a card shows of its text's life."""

    version: int = 1
    status: TextStatus = TextStatus.OPEN
    by_name: str | None = None  # who withdrew it
    merged_into: str | None = None  # the number it was merged into
    covers: tuple[str, ...] = ()  # numbers merged into it

    @property
    def is_open(self) -> bool:
        """Neither withdrawn nor merged: it is voted on and its menu offers changes."""
        return self.status is TextStatus.OPEN


def by_number(session: Session, number: str) -> Recommendation:
    """The recommendation numbered `number` (`EE-3`, any case); raises Refused."""
    match = NUMBER.match(number or "")
    shown = (number or "").strip()[:20]
    if match is None:
        raise Refused(Refusal.UNKNOWN_NUMBER, number=shown)
    rec = session.scalar(
        select(Recommendation)
        .join(Group)
        .where(Group.code == match.group(1).upper(), Recommendation.seq == int(match.group(2)))
    )
    if rec is None:
        raise Refused(Refusal.UNKNOWN_NUMBER, number=shown.upper())
    return rec


def lock(session: Session, rec: Recommendation) -> Recommendation:
    """Bump its tally_version (its card is re-rendered; on PostgreSQL its row is locked until
    the commit), then read it again as it stands under that lock."""
    session.execute(
        update(Recommendation)
        .where(Recommendation.id == rec.id)
        .values(tally_version=Recommendation.tally_version + 1)
        .execution_options(synchronize_session=False)
    )
    session.refresh(rec)
    return rec


def require_open(session: Session, rec: Recommendation) -> None:
    """Raise VotingClosed while its group is closed, Refused when it is withdrawn or merged."""
    if not rec.group.is_open:
        raise VotingClosed(group=rec.group.name)
    if rec.status == TextStatus.WITHDRAWN:
        raise Refused(Refusal.WITHDRAWN, number=rec.number, by=name_of(session, rec.status_by))
    if rec.status == TextStatus.MERGED:
        raise Refused(Refusal.MERGED, number=rec.number, target=number_of(session, rec))


def is_rapporteur(actor: Actor, rec: Recommendation) -> bool:
    """The actor is the group's rapporteur or an organizer."""
    return actor.is_organizer or actor.user_id == rec.group.rapporteur_user_id


def may_decide(actor: Actor, rec: Recommendation) -> bool:
    """The actor is its author, the group's rapporteur or an organizer."""
    return actor.user_id == rec.author_user_id or is_rapporteur(actor, rec)


def require_decider(actor: Actor, rec: Recommendation, action: str) -> None:
    """Raise Refused (NOT_DECIDER) unless `may_decide`."""
    if not may_decide(actor, rec):
        raise Refused(Refusal.NOT_DECIDER, number=rec.number, action=action, group=rec.group.name)


def require_voter(session: Session, actor: Actor, rec: Recommendation) -> str | None:
    """Check the actor may vote in the group (no observer; by delegation or consensus a
    confirmed delegate); their delegation (confirmed, else declared). Raises Refused."""
    person = session.get(Person, actor.user_id)
    procedure = procedure_of(session, rec.group.procedure)
    observer = person is not None and person.role == Role.OBSERVER.value
    if observer or (procedure is not Procedure.VOTE and not (person and person.delegation)):
        raise Refused(
            Refusal.NOT_A_VOTER,
            number=rec.number,
            group=rec.group.name,
            procedure=procedure.value,
            observer=observer,
            organisation=person.delegation if observer and person else None,
        )
    return delegation_of(person)


def delegation_of(person: Person | None) -> str | None:
    """A person's delegation: confirmed (participant list), else declared (`/wg country`)."""
    if person is None:
        return None
    return person.delegation or person.country_code


def name_of(session: Session, user_id: str | None) -> str | None:
    """The name the app shows for a person (their id while it knows none)."""
    if user_id is None:
        return None
    person = session.get(Person, user_id)
    return (person.name if person else None) or user_id


def number_of(session: Session, rec: Recommendation) -> str | None:
    """The number a merged recommendation was merged into."""
    if rec.merged_into_id is None:
        return None
    target = session.get(Recommendation, rec.merged_into_id)
    return target.number if target is not None else None


def voters(session: Session, rec: Recommendation) -> tuple[Voter, ...]:
    """Who had voted on it: each person (observers never count); by delegation, each
    delegation's latest voter with its ballot; by consensus nobody (there are no votes)."""
    procedure = procedure_of(session, rec.group.procedure)
    if procedure is Procedure.CONSENSUS:
        return ()
    if procedure is Procedure.DELEGATION:
        ballots = delegation_ballots(session, [rec.id]).get(rec.id, ())
        return tuple(Voter(b.user_id, b.choice) for b in ballots)
    rows = session.execute(
        select(Vote.voter_user_id, Vote.choice)
        .where(Vote.recommendation_id == rec.id, not_observer(Vote.voter_user_id))
        .order_by(Vote.voter_user_id)
    )
    return tuple(Voter(user_id, Choice(choice)) for user_id, choice in rows)


def new_version(
    session: Session,
    rec: Recommendation,
    *,
    actor: Actor,
    text: str,
    title: str | None,
    rationale: str | None,
    cause: Cause,
    delegation: str | None,
    amendment_id: int | None = None,
    by: str | None = None,
) -> int:
    """Make these the recommendation's text, title and rationale as its next version, every
    earlier version kept (the submitted one stored first, the first time); its number.

    The version is the actor's, or `by`'s (an amendment's proposer)."""
    has_versions = session.scalar(select(exists().where(Revision.recommendation_id == rec.id)))
    if not has_versions:
        session.add(
            Revision(
                recommendation_id=rec.id,
                version=rec.version,
                title=rec.title,
                text=rec.text,
                rationale=rec.rationale,
                user_id=rec.author_user_id,
                delegation=rec.country_code,
                cause=Cause.SUBMITTED.value,
                created_at=rec.created_at,
            )
        )
    rec.version += 1
    rec.text, rec.title, rec.rationale = text, title, rationale
    session.add(
        Revision(
            recommendation_id=rec.id,
            version=rec.version,
            title=title,
            text=text,
            rationale=rationale,
            user_id=by or actor.user_id,
            delegation=delegation,
            cause=cause.value,
            amendment_id=amendment_id,
            created_at=utcnow(),
        )
    )
    session.flush()
    return rec.version


def life(session: Session, rec: Recommendation) -> TextLife:
    """What the card shows of the recommendation's text's life."""
    covers = session.execute(
        select(Recommendation.seq)
        .where(
            Recommendation.merged_into_id == rec.id,
            Recommendation.status == TextStatus.MERGED.value,
        )
        .order_by(Recommendation.seq)
    ).scalars()
    status = TextStatus(rec.status)
    return TextLife(
        version=rec.version,
        status=status,
        by_name=name_of(session, rec.status_by) if status is TextStatus.WITHDRAWN else None,
        merged_into=number_of(session, rec) if status is TextStatus.MERGED else None,
        covers=tuple(f"{rec.group.code}-{seq}" for seq in covers),
    )
