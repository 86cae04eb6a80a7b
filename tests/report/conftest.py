"""Fixtures for the report tests: default options and a compile-and-read-back helper."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from typing import Any

import pytest

from bot.report import ReportOptions, build_outcome_document
from storage.rules import Counts
from storage.snapshot import WorkshopRecord

from . import factories as f
from .readback import Report

TITLE = "Regional Workshop on Cross-Border Cooperation"

SAMPLES = {
    "khmer": "ការដកហូតទ្រព្យសម្បត្តិ",
    "lao": "ການສືບສວນທາງການເງິນ",
    "thai": "หลักฐานอิเล็กทรอนิกส์",
    "hangul": "전자 증거의 국경 간 보존",
    "vietnamese": "Tăng cường hợp tác tư pháp",
    "tagalog": "Pagprotekta sa mga biktima",
}


@pytest.fixture
def options() -> ReportOptions:
    """Options of a typical workshop, default rule and template."""
    return ReportOptions(
        title=TITLE,
        venue="Bangkok, Thailand",
        dates="12–14 March 2025",
        organizers="UNODC and the ASEAN Secretariat",
    )


@pytest.fixture
def compile_report(options: ReportOptions) -> Callable[..., Report]:
    """Compile a record (with option overrides) and read the .docx back."""

    def compile_(record: WorkshopRecord, **overrides: Any) -> Report:
        return Report(build_outcome_document(record, replace(options, **overrides)))

    return compile_


@pytest.fixture
def multiscript_record() -> WorkshopRecord:
    """Four groups whose texts, titles and names use every script of the workshop."""
    return f.workshop(
        f.group(
            "e-evidence",
            f.recommendation(
                "EE", 1, title=SAMPLES["vietnamese"], text=SAMPLES["thai"], country="VN",
                counts=Counts(6, 1, 0),
            ),
            f.recommendation(
                "EE", 2, title=SAMPLES["hangul"], text=SAMPLES["hangul"], country="KR",
                counts=Counts(5, 2, 1),
            ),
        ),
        f.group(
            "financial",
            f.recommendation("FI", 1, title=None, text=SAMPLES["lao"], country="LA",
                             counts=Counts(4, 0, 0)),
        ),
        f.group(
            "confiscation",
            f.recommendation("AC", 1, title=SAMPLES["khmer"], text=SAMPLES["khmer"],
                             rationale=SAMPLES["khmer"], country="KH", counts=Counts(3, 0, 3)),
        ),
        f.group(
            "victims",
            f.recommendation("VP", 1, title=SAMPLES["tagalog"], text=SAMPLES["tagalog"],
                             country="PH", counts=Counts(2, 2, 0)),
            rapporteur=SAMPLES["hangul"],
        ),
    )
