"""What the plenary board shows, read in one go, and a cheap version of it for polling.

`board_state` reads the record through the outcome document's reader
(storage.reports.workshop_record: each group's procedure, each recommendation's final text,
tally under that procedure, objections, reservations, status and outcome) and adds each
group's deadline. `_shown` is the one place where what a group lets the room see is applied.

`board_version` changes whenever anything the board shows may have changed: every column
of every group, and the recommendations' count and tally versions (each change a card shows
bumps its recommendation's tally_version). It is two small aggregate queries, so a hundred
boards polling every two seconds cost the database next to nothing while nothing changes.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, replace
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from storage.models import Group, Procedure, Recommendation, as_utc
from storage.records import RecommendationRecord
from storage.reports import workshop_record
from storage.rules import AdoptionRule, Counts


@dataclass(frozen=True)
class BoardRecommendation:
    """One recommendation as the board shows it."""

    number: str  # "EE-3"
    seq: int
    title: str | None
    text: str  # verbatim; the page shows the title, or the first words of this
    counts: Counts  # people's votes; delegations' ballots in a group deciding by delegation
    objections: tuple[str, ...]  # names of the delegations objecting (consensus groups)
    reservations: tuple[str, ...]  # names of the delegations holding a reservation
    adopted: bool
    tally_shown: bool = True  # False where the group's settings hide its tallies
    status: str = "open"  # or "withdrawn", "merged": the recommendation's status
    merged_into: str | None = None  # the number it was merged into


@dataclass(frozen=True)
class BoardGroup:
    """One thematic group as the board shows it."""

    key: str
    name: str
    code: str
    procedure: Procedure
    is_open: bool
    deadline_at: datetime | None  # UTC
    deadline_zone: str | None  # the IANA zone it was set in
    recommendations: tuple[BoardRecommendation, ...]

    @property
    def adopted(self) -> int:
        """How many of its recommendations are adopted (so far, while it is open)."""
        return sum(1 for rec in self.recommendations if rec.adopted)


@dataclass(frozen=True)
class BoardState:
    """The whole workshop, group by group in their fixed order."""

    groups: tuple[BoardGroup, ...]

    def group(self, key: str) -> BoardGroup | None:
        """The group with this key, if there is one."""
        return next((g for g in self.groups if g.key == key), None)


def board_state(session: Session, *, rule: AdoptionRule) -> BoardState:
    """Everything the board shows: every group, every recommendation, every outcome."""
    record = workshop_record(session)
    rows = {g.key: g for g in session.scalars(select(Group))}
    groups = []
    for group in record.groups:
        row = rows[group.key]
        groups.append(
            BoardGroup(
                key=group.key,
                name=group.name,
                code=group.code,
                procedure=group.procedure,
                is_open=group.is_open,
                deadline_at=as_utc(row.deadline_at) if row.deadline_at else None,
                deadline_zone=row.deadline_zone,
                recommendations=tuple(
                    _shown(row, rec, _board_item(rec, rule)) for rec in group.recommendations
                ),
            )
        )
    return BoardState(tuple(groups))


def board_version(session: Session) -> str:
    """A digest that changes whenever what the board shows may have changed (cheap)."""
    digest = hashlib.sha256()
    for row in session.execute(select(Group.__table__).order_by(Group.id)):
        digest.update(repr(tuple(row)).encode("utf-8"))
    totals = session.execute(
        select(
            func.count(Recommendation.id),
            func.coalesce(func.sum(Recommendation.tally_version), 0),
            func.coalesce(func.max(Recommendation.id), 0),
        )
    ).one()
    digest.update(repr(tuple(int(n) for n in totals)).encode("utf-8"))
    return digest.hexdigest()[:32]


def _shown(
    group: Group, record: RecommendationRecord, item: BoardRecommendation
) -> BoardRecommendation:
    """What the room may see of a recommendation: the one place group settings apply.

    Withdrawn and merged texts come with the record (`status`, `merged_into`: shown as
    such, never adopted). The board names no voter and no delegation's ballot, only counts,
    so a secret ballot stays secret as it is. Hidden tallies are to be applied here from
    `group`'s setting (storage.visibility): `tally_shown=False`, the counts and the outcome
    so far left out, while the group is open. Every recommendation passes through here, so
    the page needs to know nothing more.
    """
    if record.withheld:  # the record already leaves its counts out, and it is not adopted
        return replace(item, tally_shown=False, counts=Counts(), adopted=False)
    return item


def _board_item(rec: RecommendationRecord, rule: AdoptionRule) -> BoardRecommendation:
    return BoardRecommendation(
        number=rec.number,
        seq=rec.seq,
        title=rec.title,
        text=rec.text,
        counts=rec.counts,
        objections=tuple(o.delegation_name for o in rec.objections),
        reservations=tuple(r.delegation_name for r in rec.reservations),
        adopted=rec.adopted(rule),
        status=rec.status,
        merged_into=rec.merged_into,
    )
