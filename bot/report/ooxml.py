"""Paragraphs and tables appended straight to the body XML (linear time, no python-docx scans)."""

from __future__ import annotations

import copy
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from enum import StrEnum

from docx.document import Document
from docx.oxml.ns import qn
from lxml import etree

from .runs import TextWriter
from .styles import ParagraphStyle, StyleSheet

_A4_TEXT_WIDTH = 9026  # twips, A4 with 2.54 cm margins; used if the template gives none


class Align(StrEnum):
    """Paragraph alignment values (`w:jc`)."""

    LEFT = "left"
    CENTER = "center"
    RIGHT = "right"


@dataclass(frozen=True)
class Span:
    """A piece of a paragraph with its own emphasis."""

    text: str
    bold: bool = False
    italic: bool = False


@dataclass(frozen=True)
class Column:
    """A table column: heading, relative width and alignment of its cells."""

    heading: str
    width: int
    align: Align = Align.LEFT


class Body:
    """Writes block content into the template's body, before its final section properties."""

    def __init__(self, doc: Document, styles: StyleSheet, writer: TextWriter) -> None:
        body = doc.element.body
        self._sect_pr = body.find(qn("w:sectPr"))
        for child in list(body):
            if child is not self._sect_pr:
                body.remove(child)
        if self._sect_pr is None:
            self._sect_pr = etree.SubElement(body, qn("w:sectPr"))
        self.styles = styles
        self.writer = writer
        self.text_width = _text_width(self._sect_pr)

    def paragraph(
        self,
        style: ParagraphStyle,
        *content: str | Span,
        align: Align | None = None,
        keep_next: bool = False,
        page_break_before: bool = False,
        display: bool = False,
        hanging: int | None = None,
    ) -> etree._Element:
        """Append a paragraph in `style` holding `content` and return it.

        `hanging` (twips) sets a tab stop there and wraps later lines to it, for label/value lines.
        """
        p = _paragraph(
            style, align=align, keep_next=keep_next, page_break=page_break_before, hanging=hanging
        )
        self._sect_pr.addprevious(p)
        self._fill(p, style, content, display=display)
        return p

    def table(
        self,
        columns: Sequence[Column],
        rows: Iterable[Sequence[str]],
        *,
        total: Sequence[str] | None = None,
        width: int = 100,
    ) -> etree._Element:
        """Append a table (`width` % of the text width) with a repeating header row, one row
        per item and an optional total row."""
        tbl = etree.Element(qn("w:tbl"))
        tbl_pr = etree.SubElement(tbl, qn("w:tblPr"))
        etree.SubElement(tbl_pr, qn("w:tblStyle")).set(qn("w:val"), self.styles.table_id)
        _set(etree.SubElement(tbl_pr, qn("w:tblW")), w=str(width * 50), type="pct")
        etree.SubElement(tbl_pr, qn("w:tblLayout")).set(qn("w:type"), "fixed")
        _set(
            etree.SubElement(tbl_pr, qn("w:tblLook")),
            val=f"{0x0620 | (0x0040 if total else 0):04X}",
            firstRow="1",
            lastRow="1" if total else "0",
            firstColumn="0",
            lastColumn="0",
            noHBand="1",
            noVBand="1",
        )
        grid = etree.SubElement(tbl, qn("w:tblGrid"))
        scale = sum(c.width for c in columns)
        widths = [self.text_width * width // 100 * c.width // scale for c in columns]
        for width in widths:
            etree.SubElement(grid, qn("w:gridCol")).set(qn("w:w"), str(width))
        cell_protos = [
            _cell_proto(width, self.styles.table_text, column.align)
            for column, width in zip(columns, widths, strict=True)
        ]
        self._row(tbl, cell_protos, [c.heading for c in columns], header=True)
        for row in rows:
            self._row(tbl, cell_protos, row)
        if total is not None:
            self._row(tbl, cell_protos, total, bold=True)
        self._sect_pr.addprevious(tbl)
        return tbl

    def page_break(self) -> None:
        """Start the next block on a new page."""
        p = _paragraph(self.styles.normal)
        br = etree.SubElement(etree.SubElement(p, qn("w:r")), qn("w:br"))
        br.set(qn("w:type"), "page")
        self._sect_pr.addprevious(p)

    def _row(
        self,
        tbl: etree._Element,
        protos: list[etree._Element],
        values: Sequence[str],
        *,
        header: bool = False,
        bold: bool = False,
    ) -> None:
        tr = etree.SubElement(tbl, qn("w:tr"))
        tr_pr = etree.SubElement(tr, qn("w:trPr"))
        etree.SubElement(tr_pr, qn("w:cantSplit"))
        if header:
            etree.SubElement(tr_pr, qn("w:tblHeader"))
        style = self.styles.table_text
        for proto, value in zip(protos, values, strict=True):
            tc = copy.deepcopy(proto)
            tr.append(tc)
            p = tc[-1]
            self.writer.write(p, value, bold=header or bold, mirror=style.mirror)

    def _fill(
        self,
        p: etree._Element,
        style: ParagraphStyle,
        content: Iterable[str | Span],
        *,
        display: bool = False,
    ) -> None:
        for part in content:
            span = part if isinstance(part, Span) else Span(part)
            self.writer.write(
                p,
                span.text,
                bold=span.bold,
                italic=span.italic,
                display=display,
                mirror=style.mirror,
            )


def _paragraph(
    style: ParagraphStyle,
    *,
    align: Align | None = None,
    keep_next: bool = False,
    page_break: bool = False,
    hanging: int | None = None,
) -> etree._Element:
    p = etree.Element(qn("w:p"))
    ppr = etree.SubElement(p, qn("w:pPr"))
    etree.SubElement(ppr, qn("w:pStyle")).set(qn("w:val"), style.style_id)
    if keep_next:
        etree.SubElement(ppr, qn("w:keepNext"))
    if page_break:
        etree.SubElement(ppr, qn("w:pageBreakBefore"))
    if hanging is not None:
        tab = etree.SubElement(etree.SubElement(ppr, qn("w:tabs")), qn("w:tab"))
        _set(tab, val="left", pos=str(hanging))
        _set(etree.SubElement(ppr, qn("w:ind")), left=str(hanging), hanging=str(hanging))
    if align is not None:
        etree.SubElement(ppr, qn("w:jc")).set(qn("w:val"), align.value)
    return p


def _cell_proto(width: int, style: ParagraphStyle, align: Align) -> etree._Element:
    tc = etree.Element(qn("w:tc"))
    _set(
        etree.SubElement(etree.SubElement(tc, qn("w:tcPr")), qn("w:tcW")), w=str(width), type="dxa"
    )
    tc.append(_paragraph(style, align=None if align is Align.LEFT else align))
    return tc


def _text_width(sect_pr: etree._Element) -> int:
    size = sect_pr.find(qn("w:pgSz"))
    margins = sect_pr.find(qn("w:pgMar"))
    if size is None or margins is None:
        return _A4_TEXT_WIDTH
    try:
        width = int(size.get(qn("w:w"))) - int(margins.get(qn("w:left"), "0"))
        width -= int(margins.get(qn("w:right"), "0")) + int(margins.get(qn("w:gutter"), "0"))
    except (TypeError, ValueError):
        return _A4_TEXT_WIDTH
    return width if width > 1000 else _A4_TEXT_WIDTH


def _set(el: etree._Element, **attrs: str) -> None:
    for name, value in attrs.items():
        el.set(qn(f"w:{name}"), value)
