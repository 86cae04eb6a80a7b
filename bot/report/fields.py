"""Word fields (table of contents, page numbers) as real `w:fldChar` complex fields."""

from __future__ import annotations

from docx.oxml.ns import qn
from lxml import etree

from .runs import TextWriter

TOC_INSTRUCTION = ' TOC \\o "1-3" \\h \\z \\u '
PAGE_INSTRUCTION = " PAGE "
NUMPAGES_INSTRUCTION = " NUMPAGES "
_XML_SPACE = "{http://www.w3.org/XML/1998/namespace}space"


def add_field(
    p: etree._Element,
    instruction: str,
    result: str,
    writer: TextWriter,
    *,
    dirty: bool = False,
) -> None:
    """Append a field with `instruction` and cached `result` to paragraph (or link) `p`.

    `dirty` asks Word to recompute the field when the document is opened.
    """
    begin_field(p, instruction, writer, dirty=dirty)
    writer.write(p, result)
    end_field(p, writer)


def begin_field(
    p: etree._Element, instruction: str, writer: TextWriter, *, dirty: bool = False
) -> None:
    """Append a field's begin, instruction and separator: its result follows, then `end_field`.

    A result may span paragraphs (a table of contents does): the end is then in a later one.
    """
    begin = _fld_char(p, "begin", writer)
    if dirty:
        begin.set(qn("w:dirty"), "true")
    instr = etree.SubElement(writer.empty_run(p), qn("w:instrText"))
    instr.text = instruction
    instr.set(_XML_SPACE, "preserve")
    _fld_char(p, "separate", writer)


def end_field(p: etree._Element, writer: TextWriter) -> None:
    """Append the end of the field begun last."""
    _fld_char(p, "end", writer)


def _fld_char(p: etree._Element, kind: str, writer: TextWriter) -> etree._Element:
    fld = etree.SubElement(writer.empty_run(p), qn("w:fldChar"))
    fld.set(qn("w:fldCharType"), kind)
    return fld
