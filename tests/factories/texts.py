"""Records of texts that evolved (versions, amendments, withdrawn and merged ones), for the
report tests."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime

from storage.records import AmendmentRecord, RecommendationRecord, RevisionRecord, WorkshopRecord
from storage.rules import Counts
from tests.factories import records as f

SUBMITTED = "States should preserve traffic data for 180 days."
EDITED = "States should promptly preserve traffic data for 180 days."
FINAL = "States should promptly preserve traffic and subscriber data for 365 days."
AT = datetime(2025, 3, 12, 10, 0, tzinfo=UTC)
LATER = datetime(2025, 3, 13, 15, 30, tzinfo=UTC)


def history() -> tuple[RevisionRecord, ...]:
    """Submitted by Thailand, edited by its author, then amended by Viet Nam (EE-1/A1)."""
    return (
        RevisionRecord(1, SUBMITTED, "Traffic data", "submitted", "Somchai", "TH", "Thailand", AT),
        RevisionRecord(2, EDITED, "Traffic data", "edit", "Somchai", "TH", "Thailand", AT),
        RevisionRecord(
            3, FINAL, "Traffic data", "amendment", "Lan", "VN", "Viet Nam", LATER, "EE-1/A1"
        ),
    )


def amendments() -> tuple[AmendmentRecord, ...]:
    """EE-1/A1 accepted, EE-1/A2 rejected with a reason, EE-1/A3 withdrawn."""
    return (
        AmendmentRecord(
            "EE-1/A1", FINAL, "Subscriber data matters", "Lan", "Viet Nam", "accepted", AT, "Rita"
        ),
        AmendmentRecord(
            "EE-1/A2",
            "States may preserve data.",
            None,
            "Kim",
            "Republic of Korea",
            "rejected",
            AT,
            "Rita",
            "Too weak <b> & vague",
        ),
        AmendmentRecord(
            "EE-1/A3",
            "Other words.",
            "Shorter",
            "Bounmy",
            "Lao People's Democratic Republic",
            "withdrawn",
            AT,
            "Rita",
        ),
    )


def evolved_workshop() -> WorkshopRecord:
    """One group: EE-1 amended and adopted, EE-2 withdrawn, EE-3 merged into EE-1, EE-4
    never changed and not adopted."""
    amended = replace(
        f.recommendation("EE", 1, text=FINAL, title="Traffic data", counts=Counts(4, 1, 0)),
        revisions=history(),
        amendments=amendments(),
    )
    withdrawn = replace(
        f.recommendation("EE", 2, text="Withdrawn text", counts=Counts(9, 0, 0)),
        status="withdrawn",
    )
    merged = replace(
        f.recommendation("EE", 3, text="Merged text", counts=Counts(7, 0, 0)),
        status="merged",
        merged_into="EE-1",
    )
    plain = f.recommendation("EE", 4, text="Never changed", counts=Counts(0, 2, 0))
    return f.workshop(f.group("e-evidence", amended, withdrawn, merged, plain))


def with_texts(rec: RecommendationRecord, *texts: str) -> RecommendationRecord:
    """`rec` whose versions are `texts` (v1 first), each by a delegation of its own."""
    codes = ("TH", "VN", "KH", "LA", "PH", "KR")
    names = ("Thailand", "Viet Nam", "Cambodia", "Lao PDR", "Philippines", "Republic of Korea")
    revisions = tuple(
        RevisionRecord(
            n + 1, text, None, "edit" if n else "submitted", f"P{n}", codes[n], names[n], AT
        )
        for n, text in enumerate(texts)
    )
    return replace(rec, text=texts[-1], revisions=revisions)
