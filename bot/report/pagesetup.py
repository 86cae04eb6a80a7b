"""Running header (workshop title) and footer ("Page X of Y"), keeping a template's letterhead."""

from __future__ import annotations

import re

from docx.document import Document
from docx.oxml.ns import qn
from lxml import etree

from .context import Context
from .fields import NUMPAGES_INSTRUCTION, PAGE_INSTRUCTION, add_field
from .styles import ParagraphStyle

_FIELD_SLOTS = re.compile(r"\{(PAGE|NUMPAGES)\}")
_INSTRUCTIONS = {"PAGE": PAGE_INSTRUCTION, "NUMPAGES": NUMPAGES_INSTRUCTION}
_VISIBLE = (qn("w:drawing"), qn("w:pict"), qn("w:object"), qn("w:fldChar"), qn("w:fldSimple"))


def write_header_footer(doc: Document, ctx: Context) -> None:
    """Add the title to every header and page numbers to every footer, first page included.

    A template's own header or footer content (letterhead, logo, address) is kept; ours is
    appended after it. A footer that already numbers its pages is left as it is. A template
    with a distinct first page (or distinct even pages) gets them in those headers too.
    """
    section = doc.sections[-1]
    headers = [section.header]
    footers = [section.footer]
    if section.different_first_page_header_footer:
        headers.append(section.first_page_header)
        footers.append(section.first_page_footer)
    if doc.settings.odd_and_even_pages_header_footer:
        headers.append(section.even_page_header)
        footers.append(section.even_page_footer)
    styles = ctx.body.styles
    for header in headers:
        header.is_linked_to_previous = False
        _write_header(header._element, ctx, styles.header)
    for footer in footers:
        footer.is_linked_to_previous = False
        _write_footer(footer._element, ctx, styles.footer)


def _write_header(root: etree._Element, ctx: Context, style: ParagraphStyle) -> None:
    title = ctx.body.writer.clean(ctx.options.title)
    if any(_text(p) == title for p in root.iter(qn("w:p"))):
        return
    _clear_if_blank(root)
    p = _paragraph(root, style)
    ctx.body.writer.write(p, ctx.options.title, mirror=style.mirror)


def _write_footer(root: etree._Element, ctx: Context, style: ParagraphStyle) -> None:
    if any("PAGE" in (el.text or "") for el in root.iter(qn("w:instrText"))):
        return
    _clear_if_blank(root)
    p = _paragraph(root, style)
    writer = ctx.body.writer
    for index, piece in enumerate(_FIELD_SLOTS.split(ctx.texts("page_of"))):
        if index % 2:
            add_field(p, _INSTRUCTIONS[piece], "1", writer)
        elif piece:
            writer.write(p, piece, mirror=style.mirror)


def _clear_if_blank(root: etree._Element) -> None:
    """Drop the empty paragraphs a blank header holds, so ours is its only line."""
    has_text = any((t.text or "").strip() for t in root.iter(qn("w:t")))
    has_visible = any(True for _ in root.iter(*_VISIBLE))
    if not has_text and not has_visible:
        for child in list(root):
            root.remove(child)


def _text(p: etree._Element) -> str:
    return "".join(t.text or "" for t in p.iter(qn("w:t")))


def _paragraph(root: etree._Element, style: ParagraphStyle) -> etree._Element:
    p = etree.SubElement(root, qn("w:p"))
    ppr = etree.SubElement(p, qn("w:pPr"))
    etree.SubElement(ppr, qn("w:pStyle")).set(qn("w:val"), style.style_id)
    return p
