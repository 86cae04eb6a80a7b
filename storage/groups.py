"""Operations on thematic groups: seeding, linking channels, rapporteurs, closing, procedures."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from storage import audit
from storage.actors import Actor
from storage.errors import ChannelNotLinked, NotPermitted, UnknownGroup
from storage.models import Group, Procedure, Recommendation, TextStatus, Vote
from storage.people import remember
from storage.rules import procedure_of
from storage.visibility import check_procedure, of_group

SEED_GROUPS: tuple[tuple[str, str, str], ...] = (
    ("e-evidence", "Electronic evidence", "EE"),
    ("financial-investigation", "Financial investigation", "FI"),
    ("asset-confiscation", "Asset confiscation", "AC"),
    ("victim-protection", "Victim and witness protection", "VP"),
)


def seed_groups(session: Session) -> None:
    """Create the four thematic groups if they are missing (idempotent)."""
    existing = set(session.scalars(select(Group.key)))
    for position, (key, name, code) in enumerate(SEED_GROUPS):
        if key not in existing:
            session.add(Group(key=key, name=name, code=code, position=position))
    session.flush()


def all_groups(session: Session) -> list[Group]:
    """Every group, in their fixed order."""
    return list(session.scalars(select(Group).order_by(Group.position, Group.id)))


def group_by_key(session: Session, key: str) -> Group:
    """The group with this key; raises UnknownGroup listing the valid keys."""
    group = session.scalar(select(Group).where(Group.key == key.strip().lower()))
    if group is None:
        raise UnknownGroup(key=key, valid=[g.key for g in all_groups(session)])
    return group


def group_for_channel(session: Session, channel_id: str) -> Group | None:
    """The group linked to this channel, if any."""
    return session.scalar(select(Group).where(Group.channel_id == channel_id))


def require_group_for_channel(session: Session, channel_id: str) -> Group:
    """The group linked to this channel; raises ChannelNotLinked."""
    group = group_for_channel(session, channel_id)
    if group is None:
        raise ChannelNotLinked(channel_id=channel_id)
    return group


def require_organizer(actor: Actor, action: str) -> None:
    """Raise NotPermitted unless the actor is an organizer."""
    if not actor.is_organizer:
        raise NotPermitted(action=action, needed="organizer")


def require_rapporteur(actor: Actor, group: Group, action: str) -> None:
    """Raise NotPermitted unless the actor is the group's rapporteur or an organizer."""
    if not actor.is_organizer and actor.user_id != group.rapporteur_user_id:
        raise NotPermitted(action=action, needed="rapporteur", group=group.name)


def link_channel(session: Session, *, actor: Actor, channel_id: str, group_key: str) -> Group:
    """Link a channel to a group (organizers); a channel serves one group at a time."""
    require_organizer(actor, "link")
    group = group_by_key(session, group_key)
    previous = group_for_channel(session, channel_id)
    if previous is not None and previous.id != group.id:
        previous.channel_id = None
        session.flush()
    group.channel_id = channel_id
    audit.record(session, actor=actor, action="link", group_key=group.key, target=channel_id)
    session.flush()
    return group


def appoint_rapporteur(
    session: Session, *, actor: Actor, channel_id: str, user_id: str, user_name: str | None
) -> Group:
    """Make a person the rapporteur of the channel's group (organizers)."""
    require_organizer(actor, "rapporteur")
    group = require_group_for_channel(session, channel_id)
    group.rapporteur_user_id = user_id
    remember(session, user_id, user_name)
    audit.record(session, actor=actor, action="appoint", group_key=group.key, target=user_id)
    session.flush()
    return group


def set_open(
    session: Session, *, actor: Actor, channel_id: str, is_open: bool
) -> tuple[Group, bool]:
    """Close or reopen voting in the channel's group; returns the group and whether it changed.

    Raises NotPermitted unless the actor is its rapporteur or an organizer.
    """
    action = "reopen" if is_open else "close"
    group = require_group_for_channel(session, channel_id)
    require_rapporteur(actor, group, action)
    if group.is_open == is_open:
        return group, False
    group.is_open = is_open
    _show_cards(session, group)
    audit.record(session, actor=actor, action=action, group_key=group.key)
    session.flush()
    return group, True


def set_procedure(
    session: Session, *, actor: Actor, channel_id: str, procedure: Procedure
) -> tuple[Group, bool]:
    """Set how the channel's group decides; returns the group and whether that changed.

    Nothing stored is touched: tallies are derived from the stored clicks under the
    procedure in force (storage.tallies), so switching back and forth loses nothing.
    Raises ChannelNotLinked, NotPermitted unless the actor is its rapporteur or an organizer,
    BallotsRefused for a secret group asked to decide by delegation.
    """
    group = require_group_for_channel(session, channel_id)
    require_rapporteur(actor, group, "procedure")
    previous = procedure_of(session, group.procedure)
    if previous is procedure:
        return group, False
    check_procedure(session, group, procedure)  # a secret group cannot decide by delegation
    group.procedure = procedure.value
    _show_cards(session, group)
    audit.record(
        session,
        actor=actor,
        action="procedure",
        group_key=group.key,
        target=procedure.value,
        previous=previous.value,
    )
    session.flush()
    return group, True


def _show_cards(session: Session, group: Group) -> None:
    """Every card of the group must show the group's new state (bot.delivery.cards)."""
    session.execute(
        update(Recommendation)
        .where(Recommendation.group_id == group.id)
        .values(tally_version=Recommendation.tally_version + 1)
    )


@dataclass(frozen=True)
class GroupStatus:
    """One line of /wg status."""

    key: str
    name: str
    channel_id: str | None
    rapporteur_user_id: str | None
    is_open: bool
    recommendations: int  # open ones (neither withdrawn nor merged)
    votes: int  # on those
    procedure: Procedure = Procedure.VOTE
    withdrawn: int = 0
    merged: int = 0
    # What its tallies show (storage.visibility): results withheld while open, secret ballots.
    withheld: bool = False
    secret: bool = False


def status(session: Session) -> list[GroupStatus]:
    """Per group: recommendations (withdrawn and merged ones apart), the votes that count,
    open/closed, procedure and rapporteur."""
    by_status: dict[str, dict[int, int]] = {s.value: {} for s in TextStatus}
    for group_id, state, n in session.execute(
        select(Recommendation.group_id, Recommendation.status, func.count()).group_by(
            Recommendation.group_id, Recommendation.status
        )
    ):
        by_status.setdefault(state, {})[group_id] = n
    recs = by_status[TextStatus.OPEN.value]
    votes = dict(
        session.execute(
            select(Recommendation.group_id, func.count(Vote.id))
            .join(Vote, Vote.recommendation_id == Recommendation.id)
            .where(Recommendation.status == TextStatus.OPEN.value)
            .group_by(Recommendation.group_id)
        ).all()
    )
    return [
        GroupStatus(
            key=g.key,
            name=g.name,
            channel_id=g.channel_id,
            rapporteur_user_id=g.rapporteur_user_id,
            is_open=g.is_open,
            recommendations=recs.get(g.id, 0),
            votes=votes.get(g.id, 0),
            procedure=procedure_of(session, g.procedure),
            withdrawn=by_status[TextStatus.WITHDRAWN.value].get(g.id, 0),
            merged=by_status[TextStatus.MERGED.value].get(g.id, 0),
            withheld=shown.withheld,
            secret=shown.secret,
        )
        for g in all_groups(session)
        for shown in (of_group(session, g),)
    ]


@dataclass(frozen=True)
class Involvement:
    """What one person has done in one group."""

    submitted: int
    voted: int


def involvement(session: Session, user_id: str) -> dict[str, Involvement]:
    """Per group key: the person's recommendations and the recommendations they voted on."""
    submitted = dict(
        session.execute(
            select(Group.key, func.count(Recommendation.id))
            .join(Recommendation, Recommendation.group_id == Group.id)
            .where(Recommendation.author_user_id == user_id)
            .group_by(Group.key)
        ).all()
    )
    voted = dict(
        session.execute(
            select(Group.key, func.count(Vote.id))
            .join(Recommendation, Recommendation.group_id == Group.id)
            .join(Vote, Vote.recommendation_id == Recommendation.id)
            .where(Vote.voter_user_id == user_id)
            .group_by(Group.key)
        ).all()
    )
    return {
        key: Involvement(submitted=submitted.get(key, 0), voted=voted.get(key, 0))
        for key in submitted.keys() | voted.keys()
    }
