"""Texts that evolved in the outcome document: final texts in the body, withdrawn and merged
ones only in Annex I with their status, and Annex III with the versions, the amendments and
the change as Word tracked changes (`w:ins` / `w:del`, attributed to delegations)."""

from __future__ import annotations

from dataclasses import replace

import pytest

from bot.report.revisions import FIRST_ID, tracked
from storage.rules import Counts
from tests.factories import records as f
from tests.factories import texts as t

from .readback import W, attr, rows


@pytest.fixture
def report(compile_report):
    return compile_report(t.evolved_workshop())


def _marks(report, tag: str) -> list[tuple[str | None, str]]:
    return [
        (attr(el, "author"), "".join(x.text or "" for x in el.iter(f"{W}t", f"{W}delText")))
        for el in report.body_xml.iter(f"{W}{tag}")
    ]


def test_the_body_keeps_the_final_text_and_only_counted_recommendations(report):
    body = report.paragraph_texts()
    assert t.FINAL in body
    assert t.SUBMITTED not in body and t.EDITED not in body
    assert "Withdrawn text" not in body and "Merged text" not in body
    assert "Adopted recommendations" in body and "Recommendations not adopted" in body
    headings = report.styled("Heading 3")
    assert [h.split()[0] for h in headings] == ["EE-1", "EE-4"]
    note = next(p for p in body if p.startswith("Text as it stood at the end"))
    assert "version 3" in note and "Annex III" in note
    # The body's final text has no revision marks: they are all in Annex III.
    annex = next(p for p in report.body_xml.iter(f"{W}p") if "Annex III" in "".join(p.itertext()))
    for mark in report.body_xml.iter(f"{W}ins", f"{W}del"):
        assert mark.getparent().getparent().index(mark.getparent()) > annex.getparent().index(annex)


def test_annex_i_lists_withdrawn_and_merged_with_their_status(report):
    table = rows(report.table_after("Electronic evidence", 1))
    by_number = {row[0]: row for row in table[1:]}
    assert by_number["EE-1"][-1] == "Adopted"
    assert by_number["EE-2"][-1] == "Withdrawn"
    assert by_number["EE-3"][-1] == "Merged into EE-1"
    assert by_number["EE-2"][4:7] == ["—", "—", "—"]  # their votes no longer count
    assert by_number["EE-4"][-1] == "Not adopted"


def test_annex_ii_leaves_out_the_votes_that_no_longer_count(compile_report):
    rec = f.recommendation("EE", 1, by_delegation=f.votes(TH=(2, 0, 0)))
    gone = replace(
        f.recommendation("EE", 2, by_delegation=f.votes(TH=(5, 0, 0))), status="withdrawn"
    )
    report = compile_report(f.workshop(f.group("e-evidence", rec, gone)))
    table = rows(report.table_after("Electronic evidence", 2))
    assert ["Thailand", "2", "0", "0"] in table
    assert table[-1] == ["Total", "2", "0", "0"]


def test_annex_iii_lists_versions_and_amendments(report):
    assert "Annex III. Amendments and revisions" in report.paragraph_texts()
    versions = rows(report.table_after("Versions of the text (3):"))
    assert versions[1:] == [
        ["v1", "12 Mar 2025", "Somchai (Thailand)", "Submitted"],
        ["v2", "12 Mar 2025", "Somchai (Thailand)", "Edited by its author"],
        ["v3", "13 Mar 2025", "Lan (Viet Nam)", "Amendment EE-1/A1 accepted"],
    ]
    amendments = rows(report.table_after("Amendments proposed (3):"))
    assert amendments[0] == ["Amendment", "Proposed by", "Decision", "Reason"]
    assert amendments[1] == ["EE-1/A1", "Lan (Viet Nam)", "Accepted", "Subscriber data matters"]
    assert amendments[2][:3] == ["EE-1/A2", "Kim (Republic of Korea)", "Rejected"]
    assert "Reason for rejection: Too weak <b> & vague" in amendments[2][3]
    assert amendments[3][2] == "Withdrawn"
    texts = report.paragraph_texts()
    start = len(texts) - texts[::-1].index("Annex III. Amendments and revisions")
    assert [p for p in texts[start:] if p.startswith("EE-")] == ["EE-1 Traffic data"]


def test_the_change_is_tracked_with_authors_dates_and_unique_ids(report):
    assert _marks(report, "ins") == [
        ("Thailand", "promptly "),
        ("Viet Nam", "and subscriber "),
        ("Viet Nam", "365"),
    ]
    assert _marks(report, "del") == [("Viet Nam", "180")]
    marks = list(report.body_xml.iter(f"{W}ins", f"{W}del"))
    ids = [attr(m, "id") for m in marks]
    assert len(set(ids)) == len(ids) and all(int(i) >= FIRST_ID for i in ids)
    assert {attr(m, "date") for m in marks} == {"2025-03-12T10:00:00Z", "2025-03-13T15:30:00Z"}
    for deleted in report.body_xml.iter(f"{W}del"):
        assert list(deleted.iter(f"{W}t")) == []  # deleted text is w:delText
    # Accepting every change gives the final text; rejecting them gives the submitted one.
    paragraph = marks[0].getparent()
    kept = "".join(
        x.text or "" for x in paragraph.iter(f"{W}t") if x.getparent().getparent().tag != f"{W}del"
    )
    assert kept == t.FINAL


def test_words_added_and_removed_again_leave_no_trace():
    rec = t.with_texts(f.recommendation(), "Keep logs.", "Keep all logs.", "Keep logs safely.")
    pieces = tracked(rec.revisions)
    marked = [(p.text, (p.inserted or p.deleted).author) for p in pieces if p.inserted or p.deleted]
    assert marked == [(" safely", "Cambodia")]
    assert "".join(p.text for p in pieces if not p.deleted) == "Keep logs safely."
    assert "".join(p.text for p in pieces if not p.inserted) == "Keep logs."


@pytest.mark.parametrize("script", ["thai", "khmer", "lao", "hangul", "vietnamese"])
def test_tracked_changes_in_every_script(compile_report, script):
    sample = f.SAMPLES[script]
    rec = t.with_texts(
        f.recommendation(counts=Counts(1, 0, 0)), sample, sample + " " + sample[:3] + "!"
    )
    report = compile_report(f.workshop(f.group("e-evidence", rec)))
    inserted = "".join(text for _, text in _marks(report, "ins"))
    assert inserted.strip() == sample[:3] + "!" or inserted.endswith("!")
    assert sample + " " + sample[:3] + "!" in report.paragraph_texts()


def test_no_annex_iii_when_no_text_changed(compile_report):
    report = compile_report(f.workshop(f.group("e-evidence", f.recommendation())))
    assert not any("Annex III" in p for p in report.paragraph_texts())
    assert list(report.body_xml.iter(f"{W}ins")) == []


@pytest.mark.pdf
def test_the_pdf_still_converts_and_shows_the_annex(tmp_path):
    """LibreOffice lays out a document with tracked changes: the PDF has Annex III and the
    final text, and the finished .docx keeps its revision marks."""
    import shutil
    import subprocess

    from bot.report import build_outcome_document
    from bot.report.finishing import finish

    if not (shutil.which("soffice") and shutil.which("pdftotext")):
        pytest.skip("needs soffice and pdftotext")
    options = f.options("Workshop")
    finished = finish(build_outcome_document(t.evolved_workshop(), options), options.fonts)
    out = tmp_path / "outcome.pdf"
    out.write_bytes(finished.pdf)
    text = subprocess.run(
        ["pdftotext", "-layout", str(out), "-"], check=True, capture_output=True, text=True
    ).stdout
    squashed = "".join(text.split())  # table cells wrap
    assert "AnnexIII.Amendmentsandrevisions" in squashed
    assert "Merged" in squashed and "Withdrawn" in squashed  # Annex I's statuses
    assert "".join(t.FINAL.split()) in squashed
    from .readback import Report

    marks = list(Report(finished.docx).body_xml.iter(f"{W}ins", f"{W}del"))
    assert len(marks) == 4
