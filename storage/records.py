"""Plain, read-only data describing the record, as the outcome document needs it.

Built from the database by :func:`storage.reports.workshop_record`; the Word report and the
Slack upload comment read only these types.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from storage.models import Procedure
from storage.rules import AdoptionRule, Counts


@dataclass(frozen=True)
class DelegationVotes:
    """One delegation's votes on one recommendation."""

    country_code: str
    country_name: str
    counts: Counts


@dataclass(frozen=True)
class ReservationRecord:
    """A delegation's reservation on a recommendation, its text verbatim."""

    delegation: str  # ISO code of a State (an organisation's name otherwise)
    delegation_name: str  # "Thailand", as UN documents write it
    text: str


@dataclass(frozen=True)
class BallotRecord:
    """A delegation's ballot on a recommendation (groups deciding by delegation)."""

    delegation: str  # ISO code of a State
    delegation_name: str
    choice: str  # "support", "oppose" or "abstain"


@dataclass(frozen=True)
class ObjectionRecord:
    """A delegation's standing objection (groups deciding by consensus), its reason verbatim."""

    delegation: str
    delegation_name: str
    reason: str


@dataclass(frozen=True)
class RevisionRecord:
    """One version of a recommendation's text (v1: as submitted), verbatim."""

    version: int
    text: str
    title: str | None
    cause: str  # "submitted", "edit" or "amendment" (storage.models.Cause)
    by_name: str  # who made it: the submitter, the author who edited, the amendment's proposer
    delegation: str | None  # to whom its changes are attributed: an ISO code or organisation
    delegation_name: str | None  # "Thailand", as UN documents write it
    at: datetime
    amendment: str | None = None  # the accepted amendment that made it: "EE-3/A1"


@dataclass(frozen=True)
class AmendmentRecord:
    """An amendment proposed to a recommendation and what became of it, texts verbatim."""

    number: str  # "EE-3/A1"
    text: str
    reason: str | None
    proposed_by: str
    delegation_name: str | None
    state: str  # "proposed", "accepted", "rejected" or "withdrawn"
    proposed_at: datetime
    decided_by: str | None = None
    reject_reason: str | None = None


@dataclass(frozen=True)
class RecommendationRecord:
    """One recommendation with its tally."""

    number: str  # e.g. "EE-3"
    seq: int  # 3
    title: str | None
    text: str  # verbatim as submitted
    rationale: str | None
    author_user_id: str
    author_name: str
    country_code: str | None  # submitting delegation, None if the author set none
    country_name: str | None
    counts: Counts
    submitted_at: datetime
    votes_by_delegation: tuple[DelegationVotes, ...] = ()
    reservations: tuple[ReservationRecord, ...] = ()  # by delegation name
    comments: int = 0  # replies in its card's thread, deleted ones left out
    # How its group decides: `counts` count delegations' ballots by delegation, and none are
    # kept by consensus, where the objections decide.
    procedure: Procedure = Procedure.VOTE
    ballots: tuple[BallotRecord, ...] = ()  # by delegation, by delegation name
    objections: tuple[ObjectionRecord, ...] = ()  # by consensus, by delegation name
    # Its text's life: `text` and `title` are the final ones; a withdrawn or merged one
    # (status "withdrawn", "merged") is neither adopted nor not adopted, its votes uncounted.
    status: str = "open"
    merged_into: str | None = None  # "EE-2"
    revisions: tuple[RevisionRecord, ...] = ()  # every version, v1 first; none if never changed
    amendments: tuple[AmendmentRecord, ...] = ()  # by number
    # Its group's tallies are hidden and voting is open (storage.visibility): `counts`,
    # `votes_by_delegation` and `ballots` are empty, and it is not reported as adopted.
    withheld: bool = False

    @property
    def counted(self) -> bool:
        """Neither withdrawn nor merged: decided on, its votes counted."""
        return self.status == "open"

    def adopted(self, rule: AdoptionRule) -> bool:
        """Whether it is adopted: under `rule`, or by consensus unless a delegation objects."""
        if not self.counted or self.withheld:
            return False
        return rule.decides(self.procedure, self.counts, bool(self.objections))


@dataclass(frozen=True)
class GroupRecord:
    """One thematic group and its recommendations, in submission order."""

    key: str  # "e-evidence"
    name: str  # "Electronic evidence"
    code: str  # "EE"
    is_open: bool
    rapporteur_user_id: str | None
    rapporteur_name: str | None
    recommendations: tuple[RecommendationRecord, ...] = ()
    procedure: Procedure = Procedure.VOTE  # how it decides (its own, or DECISION_PROCEDURE)
    # What it may show (storage.visibility): results withheld until voting closes; secret
    # ballots (no votes by delegation: its recommendations' totals only).
    withheld: bool = False
    secret: bool = False


@dataclass(frozen=True)
class Delegation:
    """A participating State's delegation and how many delegates it has (on the participant
    list, and people not on it who declared it)."""

    country_code: str
    country_name: str
    delegates: int


@dataclass(frozen=True)
class WorkshopRecord:
    """Everything the outcome document is compiled from."""

    groups: tuple[GroupRecord, ...]
    delegations: tuple[Delegation, ...]
    generated_at: datetime
    scope_group_key: str | None = None  # set when compiled for one group only
    extra: dict[str, str] = field(default_factory=dict)
    observers: tuple[str, ...] = ()  # observers' organisations on the participant list

    @property
    def is_final(self) -> bool:
        """Final when every included group is closed."""
        return all(not g.is_open for g in self.groups)
