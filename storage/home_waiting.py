"""What waits for a person's vote on App Home: their groups, and the recommendations of
those that ask their vote and have not had it (storage.home reads the rest of the Home).

A person's groups: on the participant list, the group they are listed for (every group if
the list names none), and any group where they submitted, voted or commented or which they
report on; not on the list, every group (whoever is not listed may vote anywhere, and
expects to see all that is open to them). Waiting for their vote: the standing
recommendations of their open groups that they have not voted on; in a group deciding by
delegation, those their delegation has not voted on (only a confirmed delegate's vote counts
there); by consensus, none (nothing is asked unless a delegation objects). Observers are
never asked to vote.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from storage.models import (
    Comment,
    Group,
    Participant,
    Person,
    Procedure,
    Recommendation,
    Role,
    TextStatus,
    Vote,
)
from storage.tallies import not_observer

SUMMARY_CHARS = 300  # of a recommendation's text: Home shows its title or first words


@dataclass(frozen=True)
class Item:
    """A recommendation as Home lists it."""

    id: int
    number: str
    group_key: str
    group_name: str
    title: str | None
    text: str  # its first SUMMARY_CHARS characters
    channel_id: str | None  # where its card is


@dataclass(frozen=True)
class Rec:
    """A recommendation with its author and status (open, withdrawn or merged)."""

    item: Item
    author: str
    status: str

    @property
    def standing(self) -> bool:
        """Whether it is still voted on and counted (neither withdrawn nor merged)."""
        return self.status == TextStatus.OPEN


def recommendations(session: Session) -> list[Rec]:
    """Every recommendation, in group order then number (texts cut to SUMMARY_CHARS)."""
    rows = session.execute(
        select(
            Recommendation.id,
            Recommendation.seq,
            Recommendation.title,
            func.substr(Recommendation.text, 1, SUMMARY_CHARS).label("text"),
            Recommendation.author_user_id,
            Recommendation.channel_id,
            Recommendation.status,
            Group.key,
            Group.name,
            Group.code,
        )
        .join(Group, Group.id == Recommendation.group_id)
        .order_by(Group.position, Group.id, Recommendation.seq)
    )
    return [
        Rec(
            Item(
                id=row.id,
                number=f"{row.code}-{row.seq}",
                group_key=row.key,
                group_name=row.name,
                title=row.title,
                text=row.text,
                channel_id=row.channel_id,
            ),
            author=row.author_user_id,
            status=row.status,
        )
        for row in rows
    ]


def their_groups(
    session: Session, user_id: str, keyed: Mapping[str, Group], involved: Collection[str]
) -> set[str]:
    """The keys of the person's groups (see the module's docstring)."""
    listed = session.execute(
        select(Participant.group_key).where(Participant.user_id == user_id)
    ).first()
    if listed is None or listed.group_key is None:
        return set(keyed)
    commented = session.scalars(
        select(Group.key)
        .join(Recommendation, Recommendation.group_id == Group.id)
        .join(Comment, Comment.recommendation_id == Recommendation.id)
        .where(Comment.user_id == user_id, Comment.deleted_at.is_(None))
        .distinct()
    )
    return ({listed.group_key, *involved, *commented}) & set(keyed)


def waiting_for(
    session: Session,
    user_id: str,
    person: Person | None,
    keyed: Mapping[str, Group],
    theirs: Collection[str],
    procedures: Mapping[str, Procedure],
    recs: list[Rec],
) -> tuple[tuple[Item, ...], tuple[str, ...]]:
    """What waits for the person's vote; and their open groups deciding by consensus."""
    if person is not None and person.role == Role.OBSERVER.value:
        return (), ()
    open_keys = {key for key in theirs if keyed[key].is_open}
    voted = set(
        session.scalars(select(Vote.recommendation_id).where(Vote.voter_user_id == user_id))
    )
    delegation = person.delegation if person is not None else None
    delegation_voted: set[int] = set()
    if delegation and any(procedures[key] is Procedure.DELEGATION for key in open_keys):
        delegation_voted = set(
            session.scalars(
                select(Vote.recommendation_id)
                .where(Vote.delegation == delegation, not_observer(Vote.voter_user_id))
                .distinct()
            )
        )
    waiting: list[Item] = []
    consensus: list[str] = []
    for rec in recs:
        key = rec.item.group_key
        if not rec.standing or key not in open_keys:
            continue
        procedure = procedures[key]
        if procedure is Procedure.CONSENSUS:
            if rec.item.group_name not in consensus:
                consensus.append(rec.item.group_name)
        elif procedure is Procedure.DELEGATION:
            if delegation and rec.item.id not in delegation_voted:
                waiting.append(rec.item)
        elif rec.item.id not in voted:
            waiting.append(rec.item)
    return tuple(waiting), tuple(consensus)
