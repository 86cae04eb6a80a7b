"""The default template's style set: restrained, UN-report-like, A4, Noto families."""

from __future__ import annotations

from dataclasses import dataclass

from docx.oxml.ns import qn
from lxml import etree

from .options import FontConfig

TEXT_WIDTH = 9072  # twips: A4 width less two 2.5 cm margins
TABLE_STYLE_NAME = "Outcome Table"
INK = "1F3A5F"  # headings and rules: a dark, desaturated blue
MUTED = "55606E"  # secondary text
HAIRLINE = "C3CBD5"  # inner rules
TINT = "E9EEF4"  # table header fill


@dataclass(frozen=True)
class StyleSpec:
    """A paragraph style of the default template, in half-points and twips."""

    name: str
    size: int  # half-points
    based_on: str | None = "Normal"
    next_style: str | None = None
    bold: bool = False
    italic: bool = False
    caps: bool = False
    color: str | None = None
    display: bool = False  # Title family (serif) instead of the text family
    before: int = 0
    after: int = 120
    line: int | None = None  # 240ths of a line
    keep_next: bool = False
    outline: int | None = None  # 0-based outline level; 9 = body text
    align: str | None = None
    border_below: str | None = None  # colour of a rule under the paragraph
    border_space: int = 4
    indent: int = 0
    tab_right_dots: bool = False  # TOC entries: page numbers flush right after dot leaders
    letter_spacing: int = 0
    quick: bool = True
    priority: int = 50


PARAGRAPH_STYLES: tuple[StyleSpec, ...] = (
    StyleSpec("Normal", 21, based_on=None, priority=0),
    StyleSpec(
        "Title",
        44,
        next_style="Subtitle",
        color=INK,
        display=True,
        after=80,
        line=240,
        keep_next=True,
        priority=10,
    ),
    StyleSpec(
        "Subtitle",
        26,
        next_style="Normal",
        color=MUTED,
        after=360,
        keep_next=True,
        border_below=INK,
        border_space=10,
        priority=11,
    ),
    StyleSpec(
        "Document Status",
        20,
        bold=True,
        color="8A1C1C",
        align="right",
        after=360,
        letter_spacing=30,
        priority=12,
    ),
    StyleSpec(
        "Heading 1",
        30,
        next_style="Normal",
        bold=True,
        color=INK,
        after=200,
        keep_next=True,
        outline=0,
        border_below=HAIRLINE,
        border_space=6,
        priority=9,
    ),
    StyleSpec(
        "Heading 2",
        24,
        next_style="Normal",
        bold=True,
        color=INK,
        before=320,
        after=100,
        keep_next=True,
        outline=1,
        priority=9,
    ),
    StyleSpec(
        "Heading 3",
        21,
        next_style="Normal",
        bold=True,
        color="262626",
        before=240,
        after=60,
        keep_next=True,
        outline=2,
        priority=9,
    ),
    StyleSpec(
        "TOC Heading",
        26,
        next_style="Normal",
        bold=True,
        color=INK,
        before=480,
        after=160,
        keep_next=True,
        outline=9,
        priority=39,
    ),
    StyleSpec("toc 1", 21, bold=True, before=120, after=40, tab_right_dots=True, priority=39),
    StyleSpec("toc 2", 20, after=20, indent=284, tab_right_dots=True, priority=39),
    StyleSpec("toc 3", 18, color=MUTED, after=20, indent=568, tab_right_dots=True, priority=39),
    StyleSpec("Table Text", 18, before=30, after=30, line=240, priority=40),
    StyleSpec(
        "Header",
        17,
        color=MUTED,
        after=0,
        line=240,
        border_below=HAIRLINE,
        border_space=4,
        quick=False,
        priority=99,
    ),
    StyleSpec(
        "Footer", 17, color=MUTED, after=0, line=240, align="right", quick=False, priority=99
    ),
)


def run_defaults_xml(fonts: FontConfig) -> etree._Element:
    """`w:rPrDefault`: the text families, 10.5 pt, British English / Korean / Khmer."""
    default = etree.Element(qn("w:rPrDefault"))
    rpr = etree.SubElement(default, qn("w:rPr"))
    _fonts(rpr, fonts.latin, fonts)
    _size(rpr, 21)
    _attrs(etree.SubElement(rpr, qn("w:lang")), val="en-GB", eastAsia="ko-KR", bidi="km-KH")
    return default


def paragraph_style_xml(spec: StyleSpec, fonts: FontConfig) -> list[etree._Element]:
    """The `w:pPr` and `w:rPr` of a paragraph style."""
    ppr = etree.Element(qn("w:pPr"))
    if spec.keep_next:
        etree.SubElement(ppr, qn("w:keepNext"))
        etree.SubElement(ppr, qn("w:keepLines"))
    if spec.border_below:
        bdr = etree.SubElement(etree.SubElement(ppr, qn("w:pBdr")), qn("w:bottom"))
        _attrs(bdr, val="single", sz="6", space=str(spec.border_space), color=spec.border_below)
    if spec.tab_right_dots:
        tab = etree.SubElement(etree.SubElement(ppr, qn("w:tabs")), qn("w:tab"))
        _attrs(tab, val="right", leader="dot", pos=str(TEXT_WIDTH))
    spacing = etree.SubElement(ppr, qn("w:spacing"))
    _attrs(spacing, before=str(spec.before), after=str(spec.after))
    if spec.line:
        _attrs(spacing, line=str(spec.line), lineRule="auto")
    if spec.indent:
        _attrs(etree.SubElement(ppr, qn("w:ind")), left=str(spec.indent))
    if spec.align:
        etree.SubElement(ppr, qn("w:jc")).set(qn("w:val"), spec.align)
    if spec.outline is not None:
        etree.SubElement(ppr, qn("w:outlineLvl")).set(qn("w:val"), str(spec.outline))

    rpr = etree.Element(qn("w:rPr"))
    # Explicit families (not only the defaults): LibreOffice bases its own TOC and header
    # styles on other parents and would otherwise fall back to its serif.
    _fonts(rpr, fonts.display if spec.display and fonts.display else fonts.latin, fonts)
    if spec.bold:
        etree.SubElement(rpr, qn("w:b"))
        etree.SubElement(rpr, qn("w:bCs"))
    if spec.italic:
        etree.SubElement(rpr, qn("w:i"))
        etree.SubElement(rpr, qn("w:iCs"))
    if spec.caps:
        etree.SubElement(rpr, qn("w:caps"))
    if spec.color:
        etree.SubElement(rpr, qn("w:color")).set(qn("w:val"), spec.color)
    if spec.letter_spacing:
        etree.SubElement(rpr, qn("w:spacing")).set(qn("w:val"), str(spec.letter_spacing))
    _size(rpr, spec.size)
    return [ppr, rpr]


def build_table_style() -> list[etree._Element]:
    """`Outcome Table`: rules above and below, hairlines between rows, a tinted header row."""
    ppr = etree.Element(qn("w:pPr"))
    _attrs(
        etree.SubElement(ppr, qn("w:spacing")), before="0", after="0", line="240", lineRule="auto"
    )
    rpr = etree.Element(qn("w:rPr"))
    _size(rpr, 18)
    tbl_pr = etree.Element(qn("w:tblPr"))
    borders = etree.SubElement(tbl_pr, qn("w:tblBorders"))
    _border(borders, "top", INK, 8)
    _border(borders, "bottom", INK, 8)
    _border(borders, "insideH", HAIRLINE, 4)
    margins = etree.SubElement(tbl_pr, qn("w:tblCellMar"))
    for side, width in (("top", 45), ("left", 85), ("bottom", 45), ("right", 85)):
        _attrs(etree.SubElement(margins, qn(f"w:{side}")), w=str(width), type="dxa")
    tc_pr = etree.Element(qn("w:tcPr"))
    etree.SubElement(tc_pr, qn("w:vAlign")).set(qn("w:val"), "top")

    first = etree.Element(qn("w:tblStylePr"))
    first.set(qn("w:type"), "firstRow")
    first_rpr = etree.SubElement(first, qn("w:rPr"))
    etree.SubElement(first_rpr, qn("w:b"))
    etree.SubElement(first_rpr, qn("w:bCs"))
    etree.SubElement(first_rpr, qn("w:color")).set(qn("w:val"), INK)
    etree.SubElement(etree.SubElement(first, qn("w:trPr")), qn("w:tblHeader"))
    first_tc = etree.SubElement(first, qn("w:tcPr"))
    _border(etree.SubElement(first_tc, qn("w:tcBorders")), "bottom", INK, 6)
    _attrs(etree.SubElement(first_tc, qn("w:shd")), val="clear", color="auto", fill=TINT)

    last = etree.Element(qn("w:tblStylePr"))
    last.set(qn("w:type"), "lastRow")
    last_rpr = etree.SubElement(last, qn("w:rPr"))
    etree.SubElement(last_rpr, qn("w:b"))
    etree.SubElement(last_rpr, qn("w:bCs"))
    last_tc = etree.SubElement(last, qn("w:tcPr"))
    _border(etree.SubElement(last_tc, qn("w:tcBorders")), "top", INK, 6)
    return [ppr, rpr, tbl_pr, tc_pr, first, last]


def _fonts(rpr: etree._Element, latin: str, fonts: FontConfig) -> None:
    el = etree.SubElement(rpr, qn("w:rFonts"))
    _attrs(el, ascii=latin, hAnsi=latin, eastAsia=fonts.hangul, cs=fonts.khmer)


def _size(rpr: etree._Element, half_points: int) -> None:
    etree.SubElement(rpr, qn("w:sz")).set(qn("w:val"), str(half_points))
    etree.SubElement(rpr, qn("w:szCs")).set(qn("w:val"), str(half_points))


def _border(parent: etree._Element, side: str, color: str, size: int) -> None:
    _attrs(
        etree.SubElement(parent, qn(f"w:{side}")),
        val="single",
        sz=str(size),
        space="0",
        color=color,
    )


def _attrs(el: etree._Element, **values: str) -> None:
    for name, value in values.items():
        el.set(qn(f"w:{name}"), value)
