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
from bot.report.styles import REQUIRED_PARAGRAPH_STYLES
from bot.report.texts import default_template_dir

from . import factories as f
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
    for name in (*REQUIRED_PARAGRAPH_STYLES, "Heading 3", "Table Text", "TOC Heading"):
        assert template.styles[name].type == WD_STYLE_TYPE.PARAGRAPH, name
    assert template.styles["Outcome Table"].type == WD_STYLE_TYPE.TABLE
    section = template.sections[0]
    assert (round(section.page_width.cm, 1), round(section.page_height.cm, 1)) == (21.0, 29.7)


def test_committed_template_matches_the_generator():
    generated = make_template()
    committed = docx.Document(str(DEFAULT))
    for name in ("Normal", "Title", "Heading 1", "Outcome Table"):
        assert generated.styles[name].element.xml == committed.styles[name].element.xml, name


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
