"""What the document says about each group: outcomes, ordering and per-delegation totals."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from storage.models import as_utc
from storage.records import GroupRecord, RecommendationRecord, WorkshopRecord
from storage.rules import AdoptionRule, Counts


@dataclass(frozen=True)
class RecommendationOutcome:
    """A recommendation, the delegation that submitted it and whether it was adopted."""

    rec: RecommendationRecord
    delegation: str | None  # country name
    adopted: bool


@dataclass(frozen=True)
class GroupOutcome:
    """One thematic group as the document presents it."""

    group: GroupRecord
    by_number: tuple[RecommendationOutcome, ...]
    adopted: tuple[RecommendationOutcome, ...]  # in number order
    not_adopted: tuple[RecommendationOutcome, ...]  # in number order
    votes_by_delegation: tuple[tuple[str, Counts], ...]  # (country name, totals)

    @property
    def counted(self) -> tuple[RecommendationOutcome, ...]:
        """Those neither withdrawn nor merged, in number order: their votes count."""
        return tuple(i for i in self.by_number if i.rec.counted)

    @property
    def adopted_first(self) -> tuple[RecommendationOutcome, ...]:
        """Adopted recommendations, then the others, each in number order."""
        return self.adopted + self.not_adopted


@dataclass(frozen=True)
class WorkshopOutcome:
    """The groups the document covers and what it says overall."""

    groups: tuple[GroupOutcome, ...]  # every included group, in record order
    scope_name: str | None  # the group's name when compiled for one group
    final: bool
    generated_at: datetime  # in UTC

    @property
    def with_recommendations(self) -> tuple[GroupOutcome, ...]:
        """Groups that have at least one recommendation."""
        return tuple(g for g in self.groups if g.by_number)

    @property
    def without_recommendations(self) -> tuple[GroupOutcome, ...]:
        """Groups in which nothing was submitted."""
        return tuple(g for g in self.groups if not g.by_number)


def workshop_outcome(record: WorkshopRecord, rule: AdoptionRule) -> WorkshopOutcome:
    """Apply `rule` to every recommendation of the groups the document covers."""
    groups = record.groups
    scope_name = None
    if record.scope_group_key is not None:
        scoped = tuple(g for g in groups if g.key == record.scope_group_key)
        groups = scoped or groups
        scope_name = scoped[0].name if scoped else record.scope_group_key
    names = {d.country_code: d.country_name for d in record.delegations}
    return WorkshopOutcome(
        groups=tuple(_group_outcome(g, rule, names) for g in groups),
        scope_name=scope_name,
        final=all(not g.is_open for g in groups),
        generated_at=as_utc(record.generated_at),
    )


def _group_outcome(group: GroupRecord, rule: AdoptionRule, names: dict[str, str]) -> GroupOutcome:
    ordered = sorted(group.recommendations, key=lambda r: (r.seq, r.number))
    items = tuple(
        RecommendationOutcome(
            rec=rec,
            delegation=rec.country_name or names.get(rec.country_code or ""),
            adopted=rec.adopted(rule),  # by its group's procedure
        )
        for rec in ordered
    )
    return GroupOutcome(
        group=group,
        by_number=items,
        adopted=tuple(i for i in items if i.adopted),
        not_adopted=tuple(i for i in items if not i.adopted and i.rec.counted),
        votes_by_delegation=_votes_by_delegation([r for r in ordered if r.counted], names),
    )


def _votes_by_delegation(
    recs: list[RecommendationRecord], names: dict[str, str]
) -> tuple[tuple[str, Counts], ...]:
    """Totals per delegation: registered delegations first (in their order), then any other."""
    totals: dict[str, Counts] = dict.fromkeys(names, Counts())
    labels = dict(names)
    for rec in recs:
        for votes in rec.votes_by_delegation:
            code = votes.country_code
            labels.setdefault(code, votes.country_name or code)
            totals[code] = totals.get(code, Counts()) + votes.counts
    registered = [code for code in names]
    others = sorted((c for c in totals if c not in names), key=lambda c: labels[c])
    return tuple((labels[c], totals[c]) for c in registered + others)
