"""Everything the writers of the document's parts share."""

from __future__ import annotations

from dataclasses import dataclass

from storage.snapshot import WorkshopRecord

from .blocks import Body
from .options import ReportOptions
from .outcome import WorkshopOutcome
from .texts import Texts


@dataclass(frozen=True)
class Context:
    """The record, its outcome, the caller's options, the wording and the body being written."""

    record: WorkshopRecord
    outcome: WorkshopOutcome
    options: ReportOptions
    texts: Texts
    body: Body
