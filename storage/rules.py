"""The rule that decides whether a recommendation is adopted."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class Majority(StrEnum):
    """Which share of the decisive votes (support + oppose) adoption needs."""

    SIMPLE = "simple"
    TWO_THIRDS = "two-thirds"


@dataclass(frozen=True)
class Counts:
    """Votes on one recommendation."""

    support: int = 0
    oppose: int = 0
    abstain: int = 0

    @property
    def cast(self) -> int:
        """Every vote recorded, abstentions included (the tally's total)."""
        return self.support + self.oppose + self.abstain

    @property
    def decisive(self) -> int:
        """Votes cast in the sense of the rule: Support and Oppose; abstentions do not count."""
        return self.support + self.oppose

    def __add__(self, other: Counts) -> Counts:
        return Counts(
            self.support + other.support,
            self.oppose + other.oppose,
            self.abstain + other.abstain,
        )


@dataclass(frozen=True)
class AdoptionRule:
    """Adopted iff the majority holds among support/oppose, support >= 1 and quorum is met.

    Abstentions count neither towards the majority nor towards the quorum: both are reckoned
    on the votes cast, Support + Oppose.
    """

    majority: Majority = Majority.SIMPLE
    quorum: int = 0

    def adopted(self, counts: Counts) -> bool:
        """Whether these counts adopt the recommendation."""
        if counts.support < 1 or counts.decisive < self.quorum:
            return False
        if self.majority is Majority.TWO_THIRDS:
            return 3 * counts.support >= 2 * counts.decisive
        return counts.support > counts.oppose
