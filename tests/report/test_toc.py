"""The table of contents is filled when the document is built, and Word still refreshes it.

Read back from the .docx: the TOC field's result holds one entry per heading (every Heading
1 and 2, the Introduction and annexes at outline level 1, the recommendations' Heading 3),
with the heading's text in any script, linked to a bookmark on the heading; page numbers when
LibreOffice laid the document out (bot.report.finishing), none otherwise.
"""

from __future__ import annotations

import io
import re
import shutil
import zipfile
from dataclasses import dataclass, replace

import docx
import pytest
from lxml import etree

from bot.report.finishing import finish
from bot.report.toc import add_page_numbers, entries_of
from bot.report.wording import default_template_dir
from tests.factories import records as f

from .conftest import SAMPLES
from .readback import Report, W, attr


@dataclass(frozen=True)
class Entry:
    """One paragraph of the TOC field's result as a reader sees it."""

    style: str
    text: str
    page: str | None  # the PAGEREF result, if the entry has one
    anchor: str | None


def contents(report: Report) -> list[Entry]:
    """The TOC field's result, paragraph by paragraph (nested fields followed)."""
    entries: list[Entry] = []
    depth = 0  # fields open inside the TOC's result
    state = "before"  # before → instruction → result → done
    for p in report.body_xml.iter(f"{W}p"):
        text, page, in_result = [], None, state == "result"
        pageref = False
        for el in p.iter(f"{W}fldChar", f"{W}instrText", f"{W}t", f"{W}tab"):
            kind = attr(el, "fldCharType") if el.tag == f"{W}fldChar" else None
            if state == "before":
                if el.tag == f"{W}instrText" and el.text.split()[:1] == ["TOC"]:
                    state = "instruction"
            elif state == "instruction":
                if kind == "separate":
                    state, in_result = "result", True
            elif state == "result":
                if kind == "begin":
                    depth += 1
                elif kind == "end" and depth == 0:
                    state = "done"
                elif kind == "end":
                    depth -= 1
                    pageref = False
                elif el.tag == f"{W}instrText" and "PAGEREF" in el.text:
                    pageref = True
                elif el.tag == f"{W}t" and pageref:
                    page = (page or "") + el.text
                elif el.tag == f"{W}t":
                    text.append(el.text)
        if in_result and (text or page):
            style = p.find(f"{W}pPr/{W}pStyle")
            link = p.find(f"{W}hyperlink")
            entries.append(
                Entry(
                    style=attr(style, "val") if style is not None else "",
                    text="".join(text),
                    page=page,
                    anchor=attr(link, "anchor") if link is not None else None,
                )
            )
    assert state == "done", "the TOC field is not closed"
    return entries


def headings(report: Report) -> list[tuple[str, str]]:
    """(style name, text) of every body paragraph at a contents level, in order."""
    levels = ("Heading 1", "Heading 2", "Heading 3", "Part Heading", "Annex Heading")
    return [(p.style.name, p.text) for p in report.doc.paragraphs if p.style.name in levels]


def _every_script_record():
    """Headings in every script: recommendation titles and two groups' names."""
    titles = [f.recommendation("EE", i, title=t) for i, t in enumerate(SAMPLES.values(), 1)]
    return f.workshop(
        f.group("e-evidence", *titles),
        replace(f.group("financial", f.recommendation("FI", 1)), name=SAMPLES["lao"]),
        replace(f.group("victims", f.recommendation("VP", 1)), name=SAMPLES["thai"]),
        f.group("confiscation"),
    )


@pytest.fixture
def report(compile_report) -> Report:
    return compile_report(_every_script_record())


def test_every_heading_is_an_entry_in_order_with_its_level(report):
    entries = contents(report)
    expected = headings(report)

    assert [e.text for e in entries] == [text for _, text in expected]
    level = {"Part Heading": 1, "Annex Heading": 1, "Heading 1": 1, "Heading 2": 2}
    assert [e.style for e in entries] == [f"TOC{level.get(s, 3)}" for s, _ in expected]
    texts = [e.text for e in entries]
    for must in (
        "Introduction",
        "Participation",
        "Electronic evidence",
        "Annex I. List of submissions",
    ):
        assert must in texts
    assert texts.count("Adopted recommendations") + texts.count("Recommendations not adopted") >= 3


def test_entries_carry_every_script_as_written(report):
    texts = " ".join(e.text for e in contents(report))

    for name, sample in SAMPLES.items():
        assert sample in texts, name


def test_no_placeholder_and_no_page_numbers_without_libreoffice(report):
    entries = contents(report)

    assert entries and all(e.page is None for e in entries)
    assert "Right-click" not in report.text
    assert "update the table of contents" not in report.data.decode("latin-1")


def test_each_entry_links_to_a_bookmark_on_its_heading(report):
    bookmarks = {
        attr(mark, "name"): mark.getparent() for mark in report.body_xml.iter(f"{W}bookmarkStart")
    }
    ids = [attr(m, "id") for m in report.body_xml.iter(f"{W}bookmarkStart")]
    assert len(ids) == len(set(ids))
    ends = {attr(m, "id") for m in report.body_xml.iter(f"{W}bookmarkEnd")}
    assert set(ids) == ends

    for entry in contents(report):
        assert entry.anchor is not None and entry.anchor.startswith("_Toc")
        heading = bookmarks[entry.anchor]
        assert "".join(t.text for t in heading.iter(f"{W}t")) == entry.text


def test_word_still_refreshes_the_field_on_opening(report):
    (instr,) = [el for el in report.body_xml.iter(f"{W}instrText") if "TOC" in el.text]
    assert instr.text == ' TOC \\o "1-3" \\h \\z \\u '
    begin = instr.getparent().getprevious().find(f"{W}fldChar")
    assert attr(begin, "dirty") == "true"
    settings = report.part_xml("word/settings.xml")
    assert settings.findall(f"{W}updateFields") == []


def test_page_numbers_are_added_as_pageref_fields_changing_only_the_body(report):
    pages = {anchor: n for n, (anchor, _) in enumerate(entries_of(report.data), start=2)}
    numbered = Report(add_page_numbers(report.data, pages, f.options("x").fonts))

    entries = contents(numbered)
    assert [e.page for e in entries] == [str(n) for n in range(2, 2 + len(entries))]
    assert [e.text for e in entries] == [e.text for e in contents(report)]
    before, after = _parts(report.data), _parts(numbered.data)
    assert before.keys() == after.keys()
    assert [n for n in before if before[n] != after[n]] == ["word/document.xml"]


def test_a_workshop_without_recommendations_still_has_its_contents(compile_report):
    report = compile_report(f.workshop(f.group("e-evidence")))

    entries = contents(report)
    assert [e.text for e in entries][:1] == ["Introduction"]
    assert "Right-click" not in report.text


def _parts(data: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(data)) as package:
        return {name: package.read(name) for name in package.namelist()}


@pytest.mark.pdf
def test_libreoffice_numbers_the_entries_with_the_pages_of_the_pdf(report, tmp_path):
    if shutil.which("soffice") is None or shutil.which("pdftotext") is None:
        pytest.skip("needs soffice and pdftotext")
    import subprocess

    finished = finish(report.data, f.options("x").fonts)
    entries = contents(Report(finished.docx))

    assert [e.text for e in entries] == [e.text for e in contents(report)]
    pages = [int(e.page or "0") for e in entries]
    assert pages == sorted(pages) and pages[0] >= 2  # the contents come first
    pdf = tmp_path / "outcome.pdf"
    pdf.write_bytes(finished.pdf)
    text = subprocess.run(
        ["pdftotext", "-layout", str(pdf), "-"], check=True, capture_output=True, text=True
    ).stdout
    assert "Right-click" not in text
    toc_page = text.split("\f")[0]
    intro = next(e for e in entries if e.text == "Introduction")
    assert re.search(rf"Introduction\.*\s*{intro.page}\b", toc_page), toc_page
    # The heading really is on that page of the PDF.
    assert "Introduction" in text.split("\f")[int(intro.page or 0) - 1]
    etree.fromstring(_parts(finished.docx)["word/document.xml"])  # well-formed


def test_a_template_without_toc_styles_still_gets_every_entry(compile_report, tmp_path):
    template = docx.Document(str(default_template_dir() / "outcome-template.docx"))
    styles = template.styles.element
    for style in list(styles.iterchildren(f"{W}style")):
        name = style.find(f"{W}name")
        if name is not None and attr(name, "val").lower().startswith("toc "):
            styles.remove(style)
    path = tmp_path / "letterhead.docx"
    template.save(str(path))

    plain = compile_report(_every_script_record(), template=path)
    entries = contents(plain)
    assert [e.text for e in entries] == [text for _, text in headings(plain)]
    assert {e.style for e in entries} == {""}  # Normal
