"""The table of contents, filled when the document is built.

Word computes a TOC field's entries only when it updates the field; a PDF converter, a viewer
that never updates fields and a printed copy show the cached result. So the result is written
here, as Word would write it: one paragraph per heading the field's switches select (`\\o`
levels by heading style, `\\u` outline levels), in the "toc N" styles, each entry a link to a
`_Toc` bookmark on its heading. Page numbers are added (`add_page_numbers`) when LibreOffice
has laid the document out (bot.report.finishing); without it the entries carry none. The field
stays dirty, so Word still recomputes it on opening.
"""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Iterator, Mapping
from dataclasses import dataclass

from docx.document import Document
from docx.oxml.ns import qn
from lxml import etree

from .fields import add_field, end_field
from .options import FontConfig
from .runs import TextWriter

BOOKMARK_PREFIX = "_Toc"
_LEVELS = re.compile(r'\\o\s+"(\d)-(\d)"')
_ANCHOR = qn("w:anchor")


@dataclass(frozen=True)
class TocEntry:
    """One line of the contents: the heading's level (1 = top), its text, its bookmark."""

    level: int
    text: str
    bookmark: str


def fill_contents(doc: Document, writer: TextWriter) -> list[TocEntry]:
    """Write the entries of the document's TOC field (begun by `fields.begin_field`) and end it.

    Returns the entries, in document order; none when the document has no TOC field.
    """
    body = doc.element.body
    first = _toc_paragraph(body)
    if first is None:
        return []
    low, high = _levels(first)
    levels = _style_levels(doc)
    headings = [
        (p, level)
        for p in body.iterchildren(qn("w:p"))
        if p is not first and low <= (level := _level(p, levels)) <= high
    ]
    entries = _bookmark(body, headings)
    toc_styles = _toc_style_ids(doc)
    p = first
    for index, entry in enumerate(entries):
        if index:
            new = etree.Element(qn("w:p"))
            etree.SubElement(new, qn("w:pPr"))
            p.addnext(new)
            p = new
        _set_style(p, toc_styles.get(entry.level))
        link = etree.SubElement(p, qn("w:hyperlink"))
        link.set(_ANCHOR, entry.bookmark)
        link.set(qn("w:history"), "1")
        writer.write(link, entry.text)
    if entries:
        closing = etree.Element(qn("w:p"))
        p.addnext(closing)
        p = closing
    end_field(p, writer)
    return entries


def add_page_numbers(docx: bytes, pages: Mapping[str, int], fonts: FontConfig) -> bytes:
    """`docx` with each contents entry whose bookmark is in `pages` ending in its page number.

    The number follows a tab (the "toc N" styles set a right tab with dot leaders) as a
    PAGEREF field, as Word writes it; only word/document.xml changes.
    """
    writer = TextWriter(fonts)
    with zipfile.ZipFile(io.BytesIO(docx)) as src:
        root = etree.fromstring(src.read("word/document.xml"))
        for link in root.iter(qn("w:hyperlink")):
            page = pages.get(link.get(_ANCHOR) or "")
            if page is None or not (link.get(_ANCHOR) or "").startswith(BOOKMARK_PREFIX):
                continue
            writer.write(link, "\t")
            add_field(link, f" PAGEREF {link.get(_ANCHOR)} \\h ", str(page), writer)
        xml = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)
        out = io.BytesIO()
        with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
            for item in src.infolist():
                data = xml if item.filename == "word/document.xml" else src.read(item.filename)
                dst.writestr(item, data)
    return out.getvalue()


def heading_text(p: etree._Element) -> str:
    """A heading paragraph's text as a contents entry shows it (tabs and breaks as spaces)."""
    parts = []
    for el in p.iter(qn("w:t"), qn("w:tab"), qn("w:br")):
        parts.append(el.text or "" if el.tag == qn("w:t") else " ")
    return " ".join("".join(parts).split())


def _toc_paragraph(body: etree._Element) -> etree._Element | None:
    for instr in body.iter(qn("w:instrText")):
        if (instr.text or "").split()[:1] == ["TOC"]:
            return instr.getparent().getparent()
    return None


def _levels(p: etree._Element) -> tuple[int, int]:
    """The heading levels the field's `\\o "a-b"` switch selects (1-9 without one)."""
    instruction = "".join(el.text or "" for el in p.iter(qn("w:instrText")))
    found = _LEVELS.search(instruction)
    return (int(found[1]), int(found[2])) if found else (1, 9)


def _style_levels(doc: Document) -> dict[str | None, int]:
    """Contents level (1–9) of each paragraph style that has one; 0 for body text.

    A built-in "heading N" style is level N (`\\o`); any other takes its outline level,
    its own or inherited through `w:basedOn` (`\\u`).
    """
    styles = {
        el.get(qn("w:styleId")): el
        for el in doc.styles.element.iterchildren(qn("w:style"))
        if el.get(qn("w:type")) == "paragraph"
    }

    def level(style_id: str | None, depth: int = 0) -> int:
        el = styles.get(style_id)
        if el is None or depth > 20:
            return 0
        match = re.fullmatch(r"heading ([1-9])", _name(el).lower())
        if match:
            return int(match[1])
        outline = el.find(f"{qn('w:pPr')}/{qn('w:outlineLvl')}")
        if outline is not None:
            return _outline(outline)
        based = el.find(qn("w:basedOn"))
        return level(based.get(qn("w:val")) if based is not None else None, depth + 1)

    found: dict[str | None, int] = {style_id: level(style_id) for style_id in styles}
    default = next(
        (i for i, el in styles.items() if el.get(qn("w:default")) in ("1", "true")), None
    )
    found[None] = found.get(default, 0)
    return found


def _level(p: etree._Element, levels: dict[str | None, int]) -> int:
    """A paragraph's contents level: its own outline level, else its style's (0: none)."""
    ppr = p.find(qn("w:pPr"))
    style = None
    if ppr is not None:
        own = ppr.find(qn("w:outlineLvl"))
        if own is not None:
            return _outline(own)
        style_el = ppr.find(qn("w:pStyle"))
        style = style_el.get(qn("w:val")) if style_el is not None else None
    return levels.get(style, 0) if style is not None else levels.get(None, 0)


def _outline(el: etree._Element) -> int:
    """`w:outlineLvl` 0–8 is contents level 1–9; 9 is body text (0)."""
    value = int(el.get(qn("w:val"), "9"))
    return value + 1 if value < 9 else 0


def _bookmark(body: etree._Element, headings: list[tuple[etree._Element, int]]) -> list[TocEntry]:
    """Put a `_Toc` bookmark around each heading's text; the entries naming them."""
    ids = [int(el.get(qn("w:id"), "0")) for el in body.iter(qn("w:bookmarkStart"))]
    names = {el.get(qn("w:name")) for el in body.iter(qn("w:bookmarkStart"))}
    next_id = max(ids, default=0) + 1
    entries = []
    serial = 100000001
    for p, level in headings:
        while f"{BOOKMARK_PREFIX}{serial}" in names:
            serial += 1
        name = f"{BOOKMARK_PREFIX}{serial}"
        serial += 1
        start = etree.Element(qn("w:bookmarkStart"))
        start.set(qn("w:id"), str(next_id))
        start.set(qn("w:name"), name)
        ppr = p.find(qn("w:pPr"))
        if ppr is not None:
            ppr.addnext(start)
        else:
            p.insert(0, start)
        etree.SubElement(p, qn("w:bookmarkEnd")).set(qn("w:id"), str(next_id))
        next_id += 1
        entries.append(TocEntry(level, heading_text(p), name))
    return entries


def _toc_style_ids(doc: Document) -> dict[int, str]:
    """Style id of "toc 1" … "toc 9" where the template has them (else Normal is used)."""
    found = {}
    for el in doc.styles.element.iterchildren(qn("w:style")):
        match = re.fullmatch(r"toc ([1-9])", _name(el).lower())
        if match and el.get(qn("w:type")) == "paragraph":
            found[int(match[1])] = el.get(qn("w:styleId"))
    return found


def _name(style: etree._Element) -> str:
    name = style.find(qn("w:name"))
    return (name.get(qn("w:val")) or "") if name is not None else ""


def _set_style(p: etree._Element, style_id: str | None) -> None:
    ppr = p.find(qn("w:pPr"))
    if ppr is None:
        ppr = etree.Element(qn("w:pPr"))
        p.insert(0, ppr)
    style = ppr.find(qn("w:pStyle"))
    if style_id is None:
        if style is not None:
            ppr.remove(style)
        return
    if style is None:
        style = etree.Element(qn("w:pStyle"))
        ppr.insert(0, style)
    style.set(qn("w:val"), style_id)


def entries_of(docx: bytes) -> Iterator[tuple[str, str]]:
    """(bookmark, entry text) of each contents entry in a built document, in order."""
    with zipfile.ZipFile(io.BytesIO(docx)) as src:
        root = etree.fromstring(src.read("word/document.xml"))
    for link in root.iter(qn("w:hyperlink")):
        anchor = link.get(_ANCHOR) or ""
        if anchor.startswith(BOOKMARK_PREFIX):
            yield anchor, "".join(t.text or "" for t in link.iter(qn("w:t")))
