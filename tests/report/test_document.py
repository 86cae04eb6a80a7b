"""Structure of the outcome document: front matter, sections, header, footer, contents."""

from __future__ import annotations

from storage.countries import country_name
from storage.rules import Counts
from tests.factories import records as f

from .conftest import TITLE
from .readback import W, attr, rows


def _record_with_empty_group():
    return f.workshop(
        f.group("e-evidence", f.recommendation("EE", 1), f.recommendation("EE", 2)),
        f.group("financial"),
        f.group("confiscation", f.recommendation("AC", 1, country="KH")),
        f.group("victims"),
    )


def test_front_matter_has_title_subtitle_and_meeting_details(compile_report):
    report = compile_report(_record_with_empty_group())

    assert report.styled("Title") == [TITLE]
    assert report.styled("Subtitle") == ["Outcome document"]
    for detail in ("Bangkok, Thailand", "12–14 March 2025", "UNODC and the ASEAN Secretariat"):
        assert detail in report.text


def test_one_heading_1_per_group_with_recommendations(compile_report):
    report = compile_report(_record_with_empty_group())

    assert report.styled("Heading 1") == ["Electronic evidence", "Asset confiscation"]
    assert report.styled("Part Heading") == ["Introduction"]
    assert report.styled("Annex Heading") == [
        "Annex I. List of submissions",
        "Annex II. Votes by delegation",
    ]
    assert (
        "No recommendations were submitted in: Financial investigation, Victim protection."
        in report.paragraph_texts()
    )


def test_status_is_draft_while_a_group_is_open(compile_report):
    record = f.workshop(
        f.group("e-evidence", f.recommendation("EE", 1)),
        f.group("victims", f.recommendation("VP", 1), is_open=True),
    )
    report = compile_report(record)

    texts = report.paragraph_texts()
    assert "Draft" in texts
    assert "Final" not in texts
    assert report.doc.core_properties.content_status == "Draft"


def test_status_is_final_when_every_group_is_closed(compile_report):
    report = compile_report(_record_with_empty_group())

    texts = report.paragraph_texts()
    assert "Final" in texts
    assert "Draft" not in texts
    assert report.doc.core_properties.content_status == "Final"


def test_table_of_contents_is_a_real_field(compile_report):
    report = compile_report(_record_with_empty_group())

    instr = [el for el in report.body_xml.iter(f"{W}instrText") if "TOC" in el.text]
    assert [el.text for el in instr] == [' TOC \\o "1-3" \\h \\z \\u ']
    paragraph = instr[0].getparent().getparent()
    sequence = [
        attr(el, "fldCharType") if el.tag == f"{W}fldChar" else el.tag.removeprefix(W)
        for el in paragraph.iter(f"{W}fldChar", f"{W}instrText", f"{W}t")
    ]
    # The result (the entries, tests/report/test_toc.py) runs over paragraphs to the end.
    assert sequence[:3] == ["begin", "instrText", "separate"]
    assert "Right-click" not in report.text


def test_header_holds_the_title_and_footer_numbers_pages(compile_report):
    report = compile_report(_record_with_empty_group())
    section = report.doc.sections[0]

    assert section.header.paragraphs[-1].text == TITLE
    assert TITLE in report.header_text
    footer = section.footer._element
    instructions = [el.text.strip() for el in footer.iter(f"{W}instrText")]
    assert instructions == ["PAGE", "NUMPAGES"]
    kinds = [attr(el, "fldCharType") for el in footer.iter(f"{W}fldChar")]
    assert kinds == ["begin", "separate", "end"] * 2
    assert "Page 1 of 1" in report.footer_text


def test_group_section_names_the_rapporteur_or_says_none(compile_report):
    record = f.workshop(
        f.group("e-evidence", f.recommendation("EE", 1), rapporteur="Ms. Nguyễn Thị Lan"),
        f.group("confiscation", f.recommendation("AC", 1), rapporteur=None),
    )
    texts = compile_report(record).paragraph_texts()

    assert "Rapporteur: Ms. Nguyễn Thị Lan" in texts
    assert "Rapporteur: not appointed" in texts


def test_attendance_lists_delegations_by_country_name(compile_report):
    record = f.workshop(
        f.group("e-evidence", f.recommendation("EE", 1)),
        delegations_=f.delegations(KH=3, LA=2, VN=4),
    )
    report = compile_report(record)

    table = report.table_after("Delegations of 3 States took part in the work of the workshop:")
    assert rows(table) == [
        ["Delegation", "Delegates"],
        [country_name("KH"), "3"],
        [country_name("LA"), "2"],
        [country_name("VN"), "4"],
        ["Total", "9"],
    ]
    assert "KH" not in [r[0] for r in rows(table)]


def test_recommendation_details(compile_report):
    rec = f.recommendation(
        "EE",
        1,
        title="Preservation",
        text="Line one\nLine two\n\n\tIndented",
        rationale="Because evidence disappears.",
        country="VN",
        counts=Counts(7, 2, 1),
    )
    report = compile_report(f.workshop(f.group("e-evidence", rec)))
    texts = report.paragraph_texts()

    assert "EE-1 Preservation" in report.styled("Heading 3")
    assert "Line one\nLine two\n\n\tIndented" in texts
    assert "Rationale: Because evidence disappears." in texts
    assert (
        f"Submitted by: {country_name('VN')}\nVotes: Support: 7 · Oppose: 2 · Abstain: 1\nOutcome: Adopted"
        in texts
    )


def test_recommendation_without_title_or_delegation(compile_report):
    rec = f.recommendation("EE", 1, title=None, country=None, counts=Counts(0, 0, 0))
    report = compile_report(f.workshop(f.group("e-evidence", rec)))

    assert "EE-1" in report.styled("Heading 3")
    assert any(
        t.startswith("Submitted by: delegation not stated") for t in report.paragraph_texts()
    )
    summary = rows(report.table_after("Electronic evidence"))
    assert summary[1] == ["EE-1", "—", "0", "0", "0", "Not adopted"]


def test_workshop_without_recommendations_says_so(compile_report):
    record = f.workshop(f.group("e-evidence"), f.group("victims", is_open=True))
    report = compile_report(record)

    assert "No recommendations were submitted to the workshop." in report.paragraph_texts()
    assert report.styled("Heading 1") == []
    assert report.styled("Part Heading") == ["Introduction", "Recommendations"]
    assert report.styled("Annex Heading") == []
    assert "Draft" in report.paragraph_texts()


def test_workshop_without_groups_or_delegations_still_builds(compile_report):
    report = compile_report(f.workshop(delegations_=()))

    assert report.styled("Title") == [TITLE]
    assert "No delegations were registered." in report.paragraph_texts()
    assert "Final" in report.paragraph_texts()


def test_group_scope_makes_it_that_groups_outcome_document(compile_report):
    record = f.workshop(
        f.group("e-evidence", f.recommendation("EE", 1)),
        f.group("victims", f.recommendation("VP", 1), is_open=True),
        scope="e-evidence",
    )
    report = compile_report(record)

    assert report.styled("Subtitle") == [
        "Outcome document of the working group on Electronic evidence"
    ]
    assert "Victim protection" not in report.styled("Heading 1")
    assert "Final" in report.paragraph_texts()
    assert report.doc.core_properties.subject == "Outcome document — Electronic evidence"


def test_other_top_level_headings_look_like_heading_1_at_outline_level_1(compile_report):
    report = compile_report(_record_with_empty_group())

    for name in ("Part Heading", "Annex Heading"):
        style = report.doc.styles[name]
        assert style.base_style.name == "Heading 1", name
        assert style.element.rPr is None, name  # nothing of its own: Heading 1's look
        assert [(el.tag, attr(el, "val")) for el in style.element.pPr] == [
            (f"{W}outlineLvl", "0")
        ], name


def test_word_updates_the_contents_on_opening_without_asking(compile_report):
    report = compile_report(_record_with_empty_group())

    settings = report.part_xml("word/settings.xml")
    assert settings.findall(f"{W}updateFields") == []  # that one asks on every opening
    (toc,) = [el for el in report.body_xml.iter(f"{W}instrText") if "TOC" in el.text]
    begin = toc.getparent().getprevious().find(f"{W}fldChar")
    assert attr(begin, "fldCharType") == "begin"
    assert attr(begin, "dirty") == "true"


def test_status_line_reads_draft_or_final_in_bold_not_capitals(compile_report):
    report = compile_report(_record_with_empty_group())

    (status,) = [p for p in report.doc.paragraphs if p.text in ("Draft", "Final")]
    assert status.style.name == "Document Status"
    assert status.style.font.bold
    assert not status.style.font.all_caps
    assert not list(status._p.iter(f"{W}caps"))


def test_every_page_the_first_included_has_the_header_and_footer(compile_report):
    report = compile_report(_record_with_empty_group())
    section = report.doc.sections[0]

    assert not section.different_first_page_header_footer
    assert section.header.paragraphs[-1].text == TITLE
    instructions = [el.text.strip() for el in section.footer._element.iter(f"{W}instrText")]
    assert instructions == ["PAGE", "NUMPAGES"]
