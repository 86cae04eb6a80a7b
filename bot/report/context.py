"""Everything the writers of the document's parts share."""

from __future__ import annotations

from dataclasses import dataclass

from storage.records import WorkshopRecord

from .ooxml import Body
from .options import ReportOptions
from .outcome import WorkshopOutcome
from .wording import Texts


@dataclass(frozen=True)
class Context:
    """The record, its outcome, the caller's options, the wording and the body being written."""

    record: WorkshopRecord
    outcome: WorkshopOutcome
    options: ReportOptions
    texts: Texts
    body: Body
