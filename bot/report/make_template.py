"""Generate templates/word/outcome-template.docx, the default look of the outcome document.

Run ``python -m bot.report.make_template`` after changing the style set below and commit the
produced .docx. Organizers copy that file, restyle it in Word and pass it as their template.
"""

from __future__ import annotations

import argparse
from pathlib import Path

import docx
from docx.document import Document
from docx.enum.style import WD_STYLE_TYPE
from docx.oxml.ns import qn
from docx.shared import Cm
from lxml import etree

from .options import FontConfig
from .package import clean_package
from .styles import HEADING_1_TWINS, add_heading_1_twin
from .template_styles import (
    PARAGRAPH_STYLES,
    TABLE_STYLE_NAME,
    TEXT_WIDTH,
    build_table_style,
    paragraph_style_xml,
    run_defaults_xml,
)
from .wording import default_template_dir

_GUIDE = (
    "This is the Word template of the Rapporteur outcome document. When a report is compiled, "
    "the body of this file is replaced by the report; its page set-up, headers, footers, "
    "styles and document settings are kept.",
    "To make your own: copy this file, change the styles (Home ▸ Styles ▸ Modify…), put your "
    "letterhead or logo in the header (Insert ▸ Header), and give the copy to the app as your "
    "template. Keep the style names: Title, Subtitle, Heading 1, Heading 2, Normal and the "
    "table style “Outcome Table” are required; Heading 3, Table Text, TOC Heading, "
    "Document Status, Header and Footer are used when present. Heading 1 is for the thematic "
    "groups only: the Introduction takes Part Heading and the annexes Annex Heading, both "
    "based on Heading 1 (and added, so based, when a template lacks them).",
)


def make_template(fonts: FontConfig | None = None) -> Document:
    """The default outcome-document template as a python-docx Document."""
    fonts = fonts or FontConfig()
    doc = docx.Document()
    _page_setup(doc)
    _style_set(doc, fonts)
    _clean_package(doc)
    _sample_body(doc)
    return doc


def _page_setup(doc: Document) -> None:
    section = doc.sections[0]
    section.page_width, section.page_height = Cm(21.0), Cm(29.7)
    section.left_margin = section.right_margin = Cm(2.5)
    section.top_margin, section.bottom_margin = Cm(2.4), Cm(2.2)
    section.header_distance = section.footer_distance = Cm(1.1)
    # Every page, the title page included, carries the running header and "Page X of Y".
    section.different_first_page_header_footer = False


def _style_set(doc: Document, fonts: FontConfig) -> None:
    root = doc.styles.element
    defaults = root.find(f"{qn('w:docDefaults')}/{qn('w:rPrDefault')}")
    for child in list(defaults):
        defaults.remove(child)
    defaults.append(run_defaults_xml(fonts))
    ppr_default = root.find(f"{qn('w:docDefaults')}/{qn('w:pPrDefault')}/{qn('w:pPr')}")
    for child in list(ppr_default):
        ppr_default.remove(child)
    spacing = etree.SubElement(ppr_default, qn("w:spacing"))
    spacing.set(qn("w:after"), "120")
    spacing.set(qn("w:line"), "264")
    spacing.set(qn("w:lineRule"), "auto")

    for spec in PARAGRAPH_STYLES:
        if spec.name not in doc.styles:
            doc.styles.add_style(spec.name, WD_STYLE_TYPE.PARAGRAPH)
        style = doc.styles[spec.name]
        _replace_formatting(style.element, paragraph_style_xml(spec, fonts))
        style.hidden = False
        style.quick_style = spec.quick
        style.priority = spec.priority
        if spec.based_on:
            style.base_style = doc.styles[spec.based_on]
        if spec.next_style:
            style.next_paragraph_style = doc.styles[spec.next_style]
        _tidy_identity(style.element, spec.name)

    if TABLE_STYLE_NAME not in doc.styles:
        doc.styles.add_style(TABLE_STYLE_NAME, WD_STYLE_TYPE.TABLE)
    table_style = doc.styles[TABLE_STYLE_NAME]
    table_style.base_style = doc.styles["Normal Table"]
    table_style.quick_style = True
    _replace_formatting(table_style.element, build_table_style())
    for name in HEADING_1_TWINS:  # the same twins an organizer's template is given
        add_heading_1_twin(doc, name, source="the default template")


def _tidy_identity(style: etree._Element, name: str) -> None:
    """Drop links to python-docx's linked character styles (they keep the old look) and let
    Word recognise its built-in "toc N" styles by their usual id."""
    for link in style.findall(qn("w:link")):
        style.remove(link)
    if name.startswith("toc "):
        style.attrib.pop(qn("w:customStyle"), None)
        style.set(qn("w:styleId"), "TOC" + name.removeprefix("toc "))


def _replace_formatting(style: etree._Element, formatting: list[etree._Element]) -> None:
    """Swap a style's pPr/rPr/table properties for ours, keeping its name and links."""
    for tag in ("w:pPr", "w:rPr", "w:tblPr", "w:trPr", "w:tcPr", "w:tblStylePr"):
        for old in style.findall(qn(tag)):
            style.remove(old)
    for el in formatting:
        style.append(el)


def _clean_package(doc: Document) -> None:
    """No python-docx leftovers: thumbnail, bibliography, application, authorship, comments."""
    clean_package(doc)
    props = doc.core_properties
    props.title = "Outcome document template"
    props.author = props.last_modified_by = "Rapporteur"
    for name in ("subject", "keywords", "comments", "category", "content_status"):
        setattr(props, name, "")
    props.revision = 1
    settings = doc.settings.element
    lang = settings.find(qn("w:themeFontLang"))
    if lang is not None:
        lang.set(qn("w:val"), "en-GB")
        lang.set(qn("w:eastAsia"), "ko-KR")
        lang.set(qn("w:bidi"), "km-KH")


def _sample_body(doc: Document) -> None:
    """One paragraph in each style, so organizers see and edit the look in Word."""
    doc.add_paragraph("Draft", style="Document Status")
    doc.add_paragraph("Title of the workshop", style="Title")
    doc.add_paragraph("Outcome document", style="Subtitle")
    for text in _GUIDE:
        doc.add_paragraph(text, style="Normal")
    doc.add_paragraph("Contents", style="TOC Heading")
    doc.add_paragraph("Part Heading — the Introduction", style="Part Heading")
    doc.add_paragraph("Heading 1 — a thematic group", style="Heading 1")
    doc.add_paragraph("Rapporteur: name of the rapporteur", style="Normal")
    doc.add_paragraph("Heading 2 — adopted recommendations", style="Heading 2")
    doc.add_paragraph("EE-1 Heading 3 — a recommendation", style="Heading 3")
    doc.add_paragraph("Normal — the verbatim text of a recommendation.", style="Normal")
    table = doc.add_table(rows=3, cols=3)
    table.style = doc.styles[TABLE_STYLE_NAME]
    for row, values in zip(
        table.rows,
        (("No.", "Title", "Outcome"), ("EE-1", "Table Text", "Adopted"), ("", "", "")),
        strict=True,
    ):
        for cell, value in zip(row.cells, values, strict=True):
            cell.paragraphs[0].text = value
            cell.paragraphs[0].style = doc.styles["Table Text"]
    tbl_pr = table._tbl.tblPr
    tbl_pr.find(qn("w:tblLook")).set(qn("w:firstRow"), "1")
    width = tbl_pr.find(qn("w:tblW"))
    width.set(qn("w:w"), str(TEXT_WIDTH))
    width.set(qn("w:type"), "dxa")
    doc.add_paragraph("Annex Heading — an annex", style="Annex Heading")


def main(argv: list[str] | None = None) -> None:
    """Write the default template (to templates/word/ unless --out says otherwise)."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--out", type=Path, default=default_template_dir() / "outcome-template.docx"
    )
    args = parser.parse_args(argv)
    make_template().save(str(args.out))
    print(f"wrote {args.out}")


if __name__ == "__main__":
    main()
