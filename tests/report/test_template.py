"""Templates: the committed default, an organizer's letterhead, and what a template must hold."""

from __future__ import annotations

import io
import zipfile

import docx
import pytest
from docx.enum.style import WD_STYLE_TYPE
from docx.shared import Cm, Pt

from bot.report import TemplateError
from bot.report.make_template import make_template
from bot.report.styles import HEADING_1_TWINS, REQUIRED_PARAGRAPH_STYLES
from bot.report.wording import default_template_dir
from tests.factories import records as f

from .conftest import TITLE
from .readback import W

DEFAULT = default_template_dir() / "outcome-template.docx"


def _record():
    return f.workshop(f.group("e-evidence", f.recommendation("EE", 1)))


def _without_style(document, name: str):
    style = document.styles[name]
    style.element.getparent().remove(style.element)


def test_committed_template_holds_every_style_used():
    template = docx.Document(str(DEFAULT))
    for name in (
        *REQUIRED_PARAGRAPH_STYLES,
        *HEADING_1_TWINS,
        "Heading 3",
        "Table Text",
        "TOC Heading",
        "Document Status",
    ):
        assert template.styles[name].type == WD_STYLE_TYPE.PARAGRAPH, name
    assert template.styles["Outcome Table"].type == WD_STYLE_TYPE.TABLE
    section = template.sections[0]
    assert (round(section.page_width.cm, 1), round(section.page_height.cm, 1)) == (21.0, 29.7)


def test_committed_template_matches_the_generator():
    generated = make_template()
    committed = docx.Document(str(DEFAULT))
    names = ("Normal", "Title", "Heading 1", *HEADING_1_TWINS, "Document Status", "Outcome Table")
    for name in names:
        assert generated.styles[name].element.xml == committed.styles[name].element.xml, name
    assert (
        generated.sections[0].different_first_page_header_footer
        == committed.sections[0].different_first_page_header_footer
    )


def test_document_uses_the_templates_styles(compile_report):
    report = compile_report(_record())

    styles = {p.style.name for p in report.doc.paragraphs}
    assert {"Title", "Subtitle", "Heading 1", "Heading 2", "Heading 3", "Normal"} <= styles
    assert {t.style.name for t in report.doc.tables} == {"Outcome Table"}


@pytest.mark.parametrize("missing", ["Heading 2", "Title", "Subtitle"])
def test_template_missing_a_style_is_refused_naming_it(compile_report, tmp_path, missing):
    template = docx.Document(str(DEFAULT))
    _without_style(template, missing)
    path = tmp_path / "organizer.docx"
    template.save(str(path))

    with pytest.raises(TemplateError, match=missing) as error:
        compile_report(_record(), template=path)
    assert str(path) in str(error.value)


def test_every_missing_style_is_named_at_once(compile_report, tmp_path):
    template = docx.Document()
    for name in ("Heading 1", "Table Grid"):
        _without_style(template, name)
    path = tmp_path / "bare.docx"
    template.save(str(path))

    with pytest.raises(TemplateError) as error:
        compile_report(_record(), template=path)
    assert '"Heading 1"' in str(error.value)
    assert '"Outcome Table"' in str(error.value)


def test_organizer_letterhead_and_look_are_kept(compile_report, tmp_path):
    template = docx.Document()  # python-docx's own styles: no "Outcome Table", no "Table Text"
    letterhead = template.styles.add_style("Letterhead", WD_STYLE_TYPE.PARAGRAPH)
    letterhead.font.name = "Georgia"
    letterhead.font.size = Pt(14)
    template.styles["Heading 1"].font.name = "Palatino Linotype"
    section = template.sections[0]
    section.left_margin = Cm(3.2)
    section.header.paragraphs[0].text = "MINISTRY OF JUSTICE — REGIONAL COOPERATION UNIT"
    section.header.paragraphs[0].style = letterhead
    template.add_paragraph("Template body text that the report replaces.")
    path = tmp_path / "letterhead.docx"
    template.save(str(path))

    report = compile_report(_record(), template=path)
    doc = report.doc
    header = doc.sections[0].header

    assert header.paragraphs[0].text == "MINISTRY OF JUSTICE — REGIONAL COOPERATION UNIT"
    assert header.paragraphs[0].style.name == "Letterhead"
    assert header.paragraphs[-1].text == TITLE
    assert doc.styles["Letterhead"].font.name == "Georgia"
    assert doc.styles["Heading 1"].font.name == "Palatino Linotype"
    assert round(doc.sections[0].left_margin.cm, 1) == 3.2
    assert "Template body text" not in report.text
    assert {t.style.name for t in doc.tables} == {"Table Grid"}
    assert "Electronic evidence" in report.styled("Heading 1")


def test_a_template_that_already_has_title_and_page_numbers_keeps_one_of_each(
    compile_report, tmp_path
):
    path = tmp_path / "previous-report.docx"
    path.write_bytes(compile_report(_record()).data)  # a compiled report as the template

    report = compile_report(_record(), template=path)
    section = report.doc.sections[0]

    assert [p.text for p in section.header.paragraphs] == [TITLE]
    footer = section.footer._element
    assert [el.text.strip() for el in footer.iter(f"{W}instrText")] == ["PAGE", "NUMPAGES"]


def test_a_dotx_template_is_accepted(compile_report, tmp_path):
    source = DEFAULT.read_bytes()
    dotx = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(source)) as src, zipfile.ZipFile(dotx, "w") as dst:
        for item in src.infolist():
            data = src.read(item.filename)
            if item.filename == "[Content_Types].xml":
                data = data.replace(b"document.main+xml", b"template.main+xml")
            dst.writestr(item, data)
    path = tmp_path / "organizer.dotx"
    path.write_bytes(dotx.getvalue())

    assert compile_report(_record(), template=path).styled("Title") == [TITLE]


def test_unreadable_templates_raise_template_error(compile_report, tmp_path):
    with pytest.raises(TemplateError, match="cannot be read"):
        compile_report(_record(), template=tmp_path / "missing.docx")
    not_word = tmp_path / "notes.docx"
    not_word.write_text("not a zip")
    with pytest.raises(TemplateError, match="not a Word document"):
        compile_report(_record(), template=not_word)


def test_committed_template_leaves_nothing_of_python_docxs_default():
    with zipfile.ZipFile(DEFAULT) as package:
        names = package.namelist()
        app = package.read("docProps/app.xml").decode()
        settings = package.read("word/settings.xml").decode()

    assert not [name for name in names if name.startswith("customXml/")]
    assert "<Application>Rapporteur</Application>" in app
    assert "Normal.dotm" not in app and "Macintosh" not in app and "<Pages>" not in app
    assert "proofState" not in settings and "rsids" not in settings
    assert not docx.Document(str(DEFAULT)).sections[0].different_first_page_header_footer


def test_a_template_without_the_other_heading_styles_gets_them_from_its_heading_1(
    compile_report, tmp_path
):
    template = docx.Document()  # python-docx's own styles: no Part Heading, no Annex Heading
    template.styles["Heading 1"].font.name = "Palatino Linotype"
    path = tmp_path / "plain.docx"
    template.save(str(path))

    report = compile_report(_record(), template=path)
    styles = report.doc.styles

    assert report.styled("Heading 1") == ["Electronic evidence"]
    assert report.styled("Part Heading") == ["Introduction"]
    assert len(report.styled("Annex Heading")) == 2
    for name in HEADING_1_TWINS:
        assert styles[name].base_style.name == "Heading 1"
        assert styles[name].font.name is None  # inherited: Palatino Linotype
        assert styles[name].element.pPr.find(f"{W}outlineLvl").get(f"{W}val") == "0"


def test_a_numbered_heading_1_leaves_the_other_headings_unnumbered(compile_report, tmp_path):
    template = docx.Document()  # its "List Number" numbering, given to Heading 1
    heading = template.styles["Heading 1"].element.get_or_add_pPr()
    heading.get_or_add_numPr().get_or_add_numId().val = 5
    path = tmp_path / "numbered.docx"
    template.save(str(path))

    styles = compile_report(_record(), template=path).doc.styles

    for name in HEADING_1_TWINS:
        assert styles[name].element.pPr.find(f"{W}numPr/{W}numId").get(f"{W}val") == "0"


def test_other_heading_style_of_the_wrong_kind_is_refused_naming_it(compile_report, tmp_path):
    template = docx.Document(str(DEFAULT))
    _without_style(template, "Annex Heading")
    template.styles.add_style("Annex Heading", WD_STYLE_TYPE.CHARACTER)
    path = tmp_path / "odd.docx"
    template.save(str(path))

    with pytest.raises(TemplateError, match='"Annex Heading"'):
        compile_report(_record(), template=path)


@pytest.mark.parametrize("letterhead", [None, "MINISTRY OF JUSTICE"])
def test_a_distinct_first_page_gets_the_title_and_page_numbers_too(
    compile_report, tmp_path, letterhead
):
    template = docx.Document(str(DEFAULT))
    section = template.sections[0]
    section.different_first_page_header_footer = True
    if letterhead:
        section.first_page_header.paragraphs[0].text = letterhead
    path = tmp_path / "first-page.docx"
    template.save(str(path))

    section = compile_report(_record(), template=path).doc.sections[0]

    assert section.different_first_page_header_footer
    assert [p.text for p in section.first_page_header.paragraphs] == [
        *([letterhead] if letterhead else []),
        TITLE,
    ]
    assert [p.text for p in section.header.paragraphs] == [TITLE]
    for footer in (section.first_page_footer, section.footer):
        instructions = [el.text.strip() for el in footer._element.iter(f"{W}instrText")]
        assert instructions == ["PAGE", "NUMPAGES"]
