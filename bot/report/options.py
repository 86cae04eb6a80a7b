"""What the caller chooses about an outcome document: wording inputs, rule, template, fonts."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from storage.models import Procedure
from storage.rules import AdoptionRule

from .scripts import Script


@dataclass(frozen=True)
class FontConfig:
    """Font family per writing system; the defaults are all in Debian's fonts-noto-core/cjk."""

    latin: str = "Noto Sans"  # Latin, Vietnamese, Tagalog, digits and punctuation
    khmer: str = "Noto Sans Khmer"
    lao: str = "Noto Sans Lao"
    thai: str = "Noto Sans Thai"
    hangul: str = "Noto Sans CJK KR"
    display: str | None = "Noto Serif"  # Latin family of the Title only; None = `latin`

    def family(self, script: Script) -> str:
        """The family that sets `script`."""
        return getattr(self, script.value)


@dataclass(frozen=True)
class ReportOptions:
    """Everything about an outcome document that does not come from the workshop record."""

    title: str
    venue: str
    dates: str
    organizers: str
    rule: AdoptionRule = field(default_factory=AdoptionRule)
    template: Path | None = None  # an organizer's .docx; None = templates/word default
    fonts: FontConfig = field(default_factory=FontConfig)
    author: str | None = None  # core property "author"; None = the organizers
    pdf: bool = False  # also lay it out in LibreOffice: a PDF, and page numbers in the contents
    procedure: Procedure = Procedure.VOTE  # DECISION_PROCEDURE: groups that chose none
    tallies: str = "live"  # TALLIES and BALLOTS: groups that chose none (storage.visibility)
    ballots: str = "named"

    def __post_init__(self) -> None:
        if self.template is not None and not isinstance(self.template, Path):
            object.__setattr__(self, "template", Path(self.template))
        if not self.author:
            object.__setattr__(self, "author", self.organizers)
