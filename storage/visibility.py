"""What a group's tallies may show: the one rule (TALLIES, BALLOTS, `/wg tallies`, `/wg ballots`).

Two settings per group, each defaulting to the workshop's (TALLIES, BALLOTS):

- tallies `live` (counts shown as people vote) or `hidden`: while the group is open, only
  how many have voted is shown; its counts (and anything derived from them: an outcome so
  far, a delegation's ballot) appear when voting closes. A consensus group's objections are
  statements made to the group and stay shown.
- ballots `named` or `secret`: nothing the app shows or exports links a voter to a choice
  (the voter's own confirmation apart). A delegation's ballot is a public act, so a group
  deciding by delegation is never secret.

`rule` is the one place this is decided; every surface (cards, /wg status, App Home, the
outcome document, the CSV and JSON exports, the audit output, the board) reads a
`Visibility` from `of_group` or `for_groups` and shows what it allows. The commands that
change the settings are in storage.group_settings.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from storage.errors import BallotsRefused
from storage.models import Group, Procedure
from storage.rules import procedure_of


class Tallies(StrEnum):
    """What a group's tallies show while it is open."""

    LIVE = "live"
    HIDDEN = "hidden"


class Ballots(StrEnum):
    """Whether who voted what may be shown."""

    NAMED = "named"
    SECRET = "secret"


# Where a session carries TALLIES and BALLOTS (Session.info, set through its factory).
DEFAULT_TALLIES = "default_tallies"
DEFAULT_BALLOTS = "default_ballots"


@dataclass(frozen=True)
class Visibility:
    """What a group may show now."""

    tallies: Tallies = Tallies.LIVE  # its setting (own, or TALLIES)
    ballots: Ballots = Ballots.NAMED  # its setting as it applies (a delegation group: named)
    withheld: bool = False  # counts, outcomes so far, delegations' ballots: not shown now

    @property
    def secret(self) -> bool:
        """Nothing shown or exported links a voter to a choice."""
        return self.ballots is Ballots.SECRET


def rule(*, tallies: Tallies, ballots: Ballots, is_open: bool, procedure: Procedure) -> Visibility:
    """The one rule: what a group with these settings, state and procedure may show."""
    withheld = tallies is Tallies.HIDDEN and is_open and procedure is not Procedure.CONSENSUS
    if procedure is Procedure.DELEGATION:
        ballots = Ballots.NAMED  # a delegation's vote is a public act
    return Visibility(tallies=tallies, ballots=ballots, withheld=withheld)


def set_defaults(factory: sessionmaker[Session], *, tallies: str, ballots: str) -> None:
    """Make TALLIES and BALLOTS the defaults of every session `factory` makes from now on."""
    info = dict(factory.kw.get("info") or {})
    info[DEFAULT_TALLIES] = Tallies(tallies).value
    info[DEFAULT_BALLOTS] = Ballots(ballots).value
    factory.configure(info=info)


def tallies_of(session: Session, chosen: str | None) -> Tallies:
    """A group's tallies setting: its own (`/wg tallies`), else TALLIES."""
    return Tallies(chosen or session.info.get(DEFAULT_TALLIES, Tallies.LIVE))


def ballots_of(session: Session, chosen: str | None) -> Ballots:
    """A group's ballots setting: its own (`/wg ballots`), else BALLOTS."""
    return Ballots(chosen or session.info.get(DEFAULT_BALLOTS, Ballots.NAMED))


def secret_ballots(chosen: str | None, default: Ballots, procedure: Procedure) -> bool:
    """Whether a group's ballots are secret: its own setting, else `default` (BALLOTS),
    unless it decides by delegation (no query: for the vote path)."""
    ballots = Ballots(chosen) if chosen else default
    return ballots is Ballots.SECRET and procedure is not Procedure.DELEGATION


def of_group(session: Session, group: Group) -> Visibility:
    """What this group may show now (no query: its row is at hand)."""
    return rule(
        tallies=tallies_of(session, group.tallies),
        ballots=ballots_of(session, group.ballots),
        is_open=group.is_open,
        procedure=procedure_of(session, group.procedure),
    )


def for_groups(session: Session, groups: Iterable[Group] | None = None) -> dict[str, Visibility]:
    """What each group may show now, by group key (every group when none are given)."""
    if groups is None:
        groups = session.scalars(select(Group).order_by(Group.position, Group.id))
    return {g.key: of_group(session, g) for g in groups}


def secret_keys(session: Session) -> frozenset[str]:
    """The keys of the groups whose ballots are secret now."""
    return frozenset(key for key, seen in for_groups(session).items() if seen.secret)


def check_procedure(session: Session, group: Group, procedure: Procedure) -> None:
    """Raise BallotsRefused if `group` may not decide by `procedure`: a secret group cannot
    decide by delegation (a delegation's vote is a public act)."""
    if procedure is Procedure.DELEGATION and ballots_of(session, group.ballots) is Ballots.SECRET:
        raise BallotsRefused(group=group.name, reason="secret_to_delegation")
