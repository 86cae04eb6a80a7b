"""Small builders of in-memory workshop records for the report tests."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime
from itertools import count

from bot.report import ReportOptions
from storage.countries import country_name
from storage.records import (
    Delegation,
    DelegationVotes,
    GroupRecord,
    RecommendationRecord,
    WorkshopRecord,
)
from storage.rules import Counts

GENERATED_AT = datetime(2025, 3, 14, 17, 30, tzinfo=UTC)

GROUPS = {
    "e-evidence": ("Electronic evidence", "EE"),
    "financial": ("Financial investigation", "FI"),
    "confiscation": ("Asset confiscation", "AC"),
    "victims": ("Victim protection", "VP"),
}

SAMPLES = {
    "khmer": "ការដកហូតទ្រព្យសម្បត្តិ",
    "lao": "ການສືບສວນທາງການເງິນ",
    "thai": "หลักฐานอิเล็กทรอนิกส์",
    "hangul": "전자 증거의 국경 간 보존",
    "vietnamese": "Tăng cường hợp tác tư pháp",
    "tagalog": "Pagprotekta sa mga biktima",
}

_minutes = count()


def options(title: str) -> ReportOptions:
    """Options of a typical workshop, default rule and template."""
    return ReportOptions(
        title=title,
        venue="Bangkok, Thailand",
        dates="12–14 March 2025",
        organizers="UNODC and the ASEAN Secretariat",
    )


def delegations(**delegates: int) -> tuple[Delegation, ...]:
    """Delegations by country code with their number of delegates, e.g. ``KH=3, TH=2``."""
    return tuple(Delegation(code, country_name(code), n) for code, n in delegates.items())


def votes(**by_country: tuple[int, int, int]) -> tuple[DelegationVotes, ...]:
    """Per-delegation votes, e.g. ``KH=(2, 0, 1)`` for 2 support, 0 oppose, 1 abstain."""
    return tuple(
        DelegationVotes(code, country_name(code), Counts(*tally))
        for code, tally in by_country.items()
    )


def recommendation(
    code: str = "EE",
    seq: int = 1,
    *,
    text: str = "States should preserve electronic evidence promptly.",
    title: str | None = "Preservation of electronic evidence",
    rationale: str | None = None,
    country: str | None = "TH",
    counts: Counts | None = None,
    by_delegation: tuple[DelegationVotes, ...] = (),
) -> RecommendationRecord:
    """A recommendation; its counts default to the sum of `by_delegation` (or none)."""
    if counts is None:
        counts = sum((v.counts for v in by_delegation), start=Counts())
    return RecommendationRecord(
        number=f"{code}-{seq}",
        seq=seq,
        title=title,
        text=text,
        rationale=rationale,
        author_user_id=f"U{seq:04d}",
        author_name=f"Delegate {seq}",
        country_code=country,
        country_name=country_name(country) if country else None,
        counts=counts,
        submitted_at=datetime(2025, 3, 12, 9, next(_minutes) % 60, tzinfo=UTC),
        votes_by_delegation=by_delegation,
    )


def group(
    key: str = "e-evidence",
    *recs: RecommendationRecord,
    is_open: bool = False,
    rapporteur: str | None = "Dr. Somchai Prasert",
) -> GroupRecord:
    """A thematic group holding `recs` (numbered with the group's code)."""
    name, code = GROUPS[key]
    return GroupRecord(
        key=key,
        name=name,
        code=code,
        is_open=is_open,
        rapporteur_user_id="UR" if rapporteur else None,
        rapporteur_name=rapporteur,
        recommendations=tuple(replace(r, number=f"{code}-{r.seq}") for r in recs),
    )


def workshop(
    *groups: GroupRecord,
    delegations_: tuple[Delegation, ...] | None = None,
    scope: str | None = None,
) -> WorkshopRecord:
    """A workshop record of `groups` with the six delegations unless told otherwise."""
    return WorkshopRecord(
        groups=groups,
        delegations=delegations_
        if delegations_ is not None
        else delegations(KH=3, LA=2, PH=4, TH=5, KR=2, VN=3),
        generated_at=GENERATED_AT,
        scope_group_key=scope,
    )


def multiscript_workshop() -> WorkshopRecord:
    """Four groups whose texts, titles and names use every script of the workshop."""
    return workshop(
        group(
            "e-evidence",
            recommendation(
                "EE",
                1,
                title=SAMPLES["vietnamese"],
                text=SAMPLES["thai"],
                country="VN",
                counts=Counts(6, 1, 0),
            ),
            recommendation(
                "EE",
                2,
                title=SAMPLES["hangul"],
                text=SAMPLES["hangul"],
                country="KR",
                counts=Counts(5, 2, 1),
            ),
        ),
        group(
            "financial",
            recommendation(
                "FI", 1, title=None, text=SAMPLES["lao"], country="LA", counts=Counts(4, 0, 0)
            ),
        ),
        group(
            "confiscation",
            recommendation(
                "AC",
                1,
                title=SAMPLES["khmer"],
                text=SAMPLES["khmer"],
                rationale=SAMPLES["khmer"],
                country="KH",
                counts=Counts(3, 0, 3),
            ),
        ),
        group(
            "victims",
            recommendation(
                "VP",
                1,
                title=SAMPLES["tagalog"],
                text=SAMPLES["tagalog"],
                country="PH",
                counts=Counts(2, 2, 0),
            ),
            rapporteur=SAMPLES["hangul"],
        ),
    )
