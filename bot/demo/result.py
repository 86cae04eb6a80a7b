"""What a demo run produced: the expected outcome of every group and where the document is."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from storage.models import Procedure
from storage.rules import Counts


@dataclass(frozen=True)
class Stand:
    """A delegation's objection or reservation, its text as entered."""

    delegation: str  # ISO code
    delegation_name: str  # "Thailand", as the document names it
    text: str


@dataclass(frozen=True)
class RecommendationResult:
    """A recommendation as submitted, with the tally the votes cast must give (by delegation:
    delegations' ballots; by consensus: none, its objections decide)."""

    number: str
    title: str
    text: str
    rationale: str | None
    author: str  # Slack username
    country: str
    counts: Counts
    adopted: bool
    procedure: Procedure = Procedure.VOTE
    objections: tuple[Stand, ...] = ()
    reservations: tuple[Stand, ...] = ()


@dataclass(frozen=True)
class GroupResult:
    """One thematic group at the end of the demo."""

    key: str
    name: str
    rapporteur: str  # Slack username
    recommendations: tuple[RecommendationResult, ...]  # in number order
    procedure: Procedure = Procedure.VOTE

    @property
    def submitted(self) -> int:
        """How many recommendations were submitted."""
        return len(self.recommendations)

    @property
    def adopted(self) -> int:
        """How many were adopted under the default rule (by consensus: unless objected to)."""
        return sum(1 for r in self.recommendations if r.adopted)

    @property
    def votes(self) -> int:
        """Votes cast (each person's last click on each card; by delegation, each
        delegation's; none by consensus), as the app counts them."""
        return sum(r.counts.cast for r in self.recommendations)


@dataclass(frozen=True)
class DemoResult:
    """The groups, the document and what the app said when it uploaded it."""

    seed: int
    delegates: int
    clicks: int
    groups: tuple[GroupResult, ...]
    document: Path
    pdf: Path | None  # the document's PDF, when the app made one (LibreOffice installed)
    comment: str  # the upload's initial comment
    seconds: float

    @property
    def submitted(self) -> int:
        """Recommendations in the whole workshop."""
        return sum(g.submitted for g in self.groups)

    @property
    def adopted(self) -> int:
        """Adopted recommendations in the whole workshop."""
        return sum(g.adopted for g in self.groups)

    @property
    def votes(self) -> int:
        """Votes in the whole workshop."""
        return sum(g.votes for g in self.groups)
