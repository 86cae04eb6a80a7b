"""Read a compiled outcome document back, with python-docx, docx2python and raw XML."""

from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass, field
from functools import cached_property

import docx
from docx.document import Document
from docx.oxml.ns import qn
from docx.table import Table
from docx.text.paragraph import Paragraph
from docx2python import docx2python
from lxml import etree

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


@dataclass
class Report:
    """One compiled .docx and convenient views of it."""

    data: bytes
    doc: Document = field(init=False)
    text: str = field(init=False)  # docx2python's text of the body
    header_text: str = field(init=False)
    footer_text: str = field(init=False)

    def __post_init__(self) -> None:
        self.doc = docx.Document(io.BytesIO(self.data))
        with docx2python(io.BytesIO(self.data)) as content:
            self.text = content.text
            self.header_text = _flatten(content.header)
            self.footer_text = _flatten(content.footer)

    def part_xml(self, name: str) -> etree._Element:
        """The parsed XML of a package part, e.g. "word/document.xml"."""
        with zipfile.ZipFile(io.BytesIO(self.data)) as package:
            return etree.fromstring(package.read(name))

    def part_names(self) -> list[str]:
        """Names of every part in the package."""
        with zipfile.ZipFile(io.BytesIO(self.data)) as package:
            return package.namelist()

    @cached_property
    def body_xml(self) -> etree._Element:
        """word/document.xml."""
        return self.part_xml("word/document.xml")

    def styled(self, style: str) -> list[str]:
        """Texts of the body paragraphs in `style`, in order."""
        return [p.text for p in self.doc.paragraphs if p.style.name == style]

    def paragraph_texts(self) -> list[str]:
        """Every body paragraph's text (python-docx), in order, tables excluded."""
        return [p.text for p in self.doc.paragraphs]

    def table_after(self, heading: str, nth_heading: int = 0) -> Table:
        """The first table following the `nth_heading` paragraph whose text is `heading`
        (the entries of the table of contents are not headings)."""
        body = self.doc.element.body
        seen = -1
        found = False
        for child in body.iterchildren():
            if child.tag == qn("w:p") and is_contents_entry(child):
                continue
            if child.tag == qn("w:p") and Paragraph(child, self.doc._body).text == heading:
                seen += 1
                found = seen == nth_heading
            elif found and child.tag == qn("w:tbl"):
                return Table(child, self.doc._body)
        raise AssertionError(f"no table after {heading!r}")

    def runs_with(self, text: str, root: etree._Element | None = None) -> list[etree._Element]:
        """`w:r` elements whose own text contains `text`."""
        root = self.body_xml if root is None else root
        return [r for r in root.iter(f"{W}r") if text in _run_text(r)]


def is_contents_entry(p: etree._Element) -> bool:
    """Whether paragraph `p` is an entry of the table of contents (a link to a `_Toc` mark)."""
    return any(
        (link.get(f"{W}anchor") or "").startswith("_Toc") for link in p.iter(f"{W}hyperlink")
    )


def rows(table: Table) -> list[list[str]]:
    """A table's cell texts, row by row."""
    return [[cell.text for cell in row.cells] for row in table.rows]


def attr(el: etree._Element | None, name: str) -> str | None:
    """A w:-namespaced attribute of `el`, or None."""
    return None if el is None else el.get(f"{W}{name}")


def _flatten(nested: object) -> str:
    if isinstance(nested, str):
        return nested
    return "\n".join(_flatten(item) for item in nested)  # type: ignore[union-attr]


def _run_text(r: etree._Element) -> str:
    return "".join(t.text or "" for t in r.iter(f"{W}t"))
