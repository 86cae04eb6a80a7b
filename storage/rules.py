"""How a group decides (its procedure), and the rule that says whether it adopts a text."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from sqlalchemy.orm import Session, sessionmaker

from storage.models.delegations import Procedure

# Where a session carries DECISION_PROCEDURE (Session.info, set through its factory).
DEFAULT_PROCEDURE = "decision_procedure"


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

    def decides(self, procedure: str, counts: Counts, objected: bool) -> bool:
        """Whether a recommendation is adopted under its group's procedure.

        By consensus: unless a delegation objects. Otherwise by this rule, applied to the
        delegations' ballots in a group deciding by delegation, to people's votes in one
        deciding by vote.
        """
        if procedure == Procedure.CONSENSUS:
            return not objected
        return self.adopted(counts)


def effective_procedure(chosen: str | None, default: str = Procedure.VOTE) -> Procedure:
    """A group's procedure: the one it chose (`/wg procedure`), else the default."""
    return Procedure(chosen or default)


def set_default_procedure(factory: sessionmaker[Session], procedure: str) -> None:
    """Make DECISION_PROCEDURE the default of every session `factory` makes from now on."""
    info = dict(factory.kw.get("info") or {})
    info[DEFAULT_PROCEDURE] = Procedure(procedure).value
    factory.configure(info=info)


def default_procedure(session: Session) -> Procedure:
    """DECISION_PROCEDURE as the session's factory was given it (vote when it was not)."""
    return Procedure(session.info.get(DEFAULT_PROCEDURE, Procedure.VOTE))


def procedure_of(session: Session, chosen: str | None) -> Procedure:
    """A group's procedure: the one it chose (`/wg procedure`), else DECISION_PROCEDURE."""
    return Procedure(chosen) if chosen else default_procedure(session)
