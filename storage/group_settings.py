"""`/wg tallies live|hidden` and `/wg ballots named|secret`: a group's settings, audited;
`/wg voters`: who has voted in a group, never how (what a rapporteur may see of ballots)."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from storage import audit
from storage.actors import Actor
from storage.errors import BallotsRefused
from storage.groups import require_group_for_channel, require_rapporteur
from storage.models import Group, Person, Procedure, Recommendation, TextStatus, Vote
from storage.rules import procedure_of
from storage.tallies import not_observer
from storage.visibility import Ballots, Tallies, of_group, tallies_of


def set_tallies(
    session: Session, *, actor: Actor, channel_id: str, tallies: Tallies
) -> tuple[Group, bool]:
    """Set what the channel's group's tallies show; returns the group and whether it changed.

    Its cards are re-rendered (bot.delivery.cards). Raises ChannelNotLinked, NotPermitted
    unless the actor is its rapporteur or an organizer.
    """
    group = require_group_for_channel(session, channel_id)
    require_rapporteur(actor, group, "tallies")
    previous = tallies_of(session, group.tallies)
    if previous is tallies:
        return group, False
    group.tallies = tallies.value
    _show_cards(session, group)
    audit.record(
        session,
        actor=actor,
        action="tallies",
        group_key=group.key,
        target=tallies.value,
        previous=previous.value,
    )
    session.flush()
    return group, True


def set_ballots(
    session: Session, *, actor: Actor, channel_id: str, ballots: Ballots
) -> tuple[Group, bool]:
    """Set whether the channel's group's ballots are secret; returns the group and whether
    that changed.

    Raises BallotsRefused for a group deciding by delegation (a delegation's vote is a public
    act), and for making a secret group with votes named again (ballots cast in secret stay
    secret); ChannelNotLinked, NotPermitted unless the actor is its rapporteur or an organizer.
    """
    group = require_group_for_channel(session, channel_id)
    require_rapporteur(actor, group, "ballots")
    procedure = procedure_of(session, group.procedure)
    if ballots is Ballots.SECRET and procedure is Procedure.DELEGATION:
        raise BallotsRefused(group=group.name, reason="delegation")
    previous = of_group(session, group).ballots
    if previous is ballots:
        return group, False
    if ballots is Ballots.NAMED and votes_cast(session, group) > 0:
        raise BallotsRefused(group=group.name, reason="cast_in_secret")
    group.ballots = ballots.value
    _show_cards(session, group)
    audit.record(
        session,
        actor=actor,
        action="ballots",
        group_key=group.key,
        target=ballots.value,
        previous=previous.value,
    )
    session.flush()
    return group, True


def votes_cast(session: Session, group: Group) -> int:
    """How many votes are stored on the group's recommendations."""
    return int(
        session.scalar(
            select(func.count(Vote.id))
            .join(Recommendation, Recommendation.id == Vote.recommendation_id)
            .where(Recommendation.group_id == group.id)
        )
        or 0
    )


def _show_cards(session: Session, group: Group) -> None:
    """Every card of the group must show what it now may (bot.delivery.cards)."""
    session.execute(
        update(Recommendation)
        .where(Recommendation.group_id == group.id)
        .values(tally_version=Recommendation.tally_version + 1)
    )


@dataclass(frozen=True)
class Voted:
    """Who has voted on one recommendation: never how."""

    number: str
    title: str | None
    text: str
    voters: tuple[tuple[str, str | None], ...]  # (user id, name), by name


def voters(session: Session, *, actor: Actor, channel_id: str) -> tuple[Group, list[Voted]]:
    """Who has voted on each standing recommendation of the channel's group (its rapporteur
    or an organizer): names only, in alphabetical order, never a choice. Raises
    ChannelNotLinked, NotPermitted."""
    group = require_group_for_channel(session, channel_id)
    require_rapporteur(actor, group, "voters")
    recs = session.execute(
        select(Recommendation.id, Recommendation.seq, Recommendation.title, Recommendation.text)
        .where(Recommendation.group_id == group.id, Recommendation.status == TextStatus.OPEN)
        .order_by(Recommendation.seq)
    ).all()
    found: dict[int, list[tuple[str, str | None]]] = {r.id: [] for r in recs}
    for rec_id, user_id, name in session.execute(
        select(Vote.recommendation_id, Vote.voter_user_id, Person.name)
        .outerjoin(Person, Person.user_id == Vote.voter_user_id)
        .where(Vote.recommendation_id.in_(list(found)), not_observer(Vote.voter_user_id))
    ):
        found[rec_id].append((user_id, name))
    return group, [
        Voted(
            number=f"{group.code}-{r.seq}",
            title=r.title,
            text=r.text,
            voters=tuple(sorted(found[r.id], key=lambda v: ((v[1] or v[0]).casefold(), v[0]))),
        )
        for r in recs
    ]
