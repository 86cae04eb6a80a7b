"""Reading the outcome document back: headings, per-recommendation sections and tables."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import docx
from docx.document import Document

from storage.rules import Counts

# "Support: 4 · Oppose: 1 · Abstain: 0", as on the card (older documents had no colons).
VOTES = re.compile(r"Support:? (\d+) · Oppose:? (\d+) · Abstain:? (\d+)")
SUMMARY_HEADER = ["No.", "Title", "Support", "Oppose", "Abstain", "Outcome"]


@dataclass(frozen=True)
class Section:
    """A recommendation as the document presents it: its heading and the paragraphs below."""

    heading: str
    paragraphs: tuple[str, ...]

    @property
    def title(self) -> str:
        """The heading without its number."""
        return self.heading.split(None, 1)[1]

    @property
    def counts(self) -> Counts:
        """The tally the section states."""
        match = VOTES.search("\n".join(self.paragraphs))
        assert match, self.paragraphs
        return Counts(*(int(n) for n in match.groups()))


def open_document(path: Path) -> Document:
    """The .docx at `path`."""
    return docx.Document(str(path))


def headings(doc: Document, level: int) -> list[str]:
    """Texts of the paragraphs styled Heading `level`, in order."""
    return [p.text for p in doc.paragraphs if p.style.name == f"Heading {level}"]


def recommendation_sections(doc: Document) -> dict[str, Section]:
    """Each Heading 3 (“EE-1 Title”) by its number, with the paragraphs up to the next heading.

    The number and the title may be separated by any kind of space.
    """
    sections: dict[str, Section] = {}
    current: tuple[str, list[str]] | None = None
    for paragraph in doc.paragraphs:
        style = paragraph.style.name
        if style.startswith("Heading") or style == "Title":
            if current:
                sections[current[0].split(None, 1)[0]] = Section(current[0], tuple(current[1]))
            current = (paragraph.text, []) if style == "Heading 3" else None
        elif current is not None:
            current[1].append(paragraph.text)
    if current:
        sections[current[0].split(None, 1)[0]] = Section(current[0], tuple(current[1]))
    return sections


def group_paragraphs(doc: Document, name: str) -> list[str]:
    """The paragraphs of the group's section (its Heading 1) before its first Heading 2."""
    found: list[str] | None = None
    for paragraph in doc.paragraphs:
        style = paragraph.style.name
        if found is not None and style.startswith("Heading"):
            return found
        if found is not None:
            found.append(paragraph.text)
        elif style == "Heading 1" and paragraph.text == name:
            found = []
    assert found is not None, f"no section {name!r}"
    return found


def summary_rows(doc: Document) -> dict[str, list[str]]:
    """Rows of the per-group recommendation tables, by number."""
    rows: dict[str, list[str]] = {}
    for table in doc.tables:
        cells = [[c.text for c in row.cells] for row in table.rows]
        if cells and cells[0] == SUMMARY_HEADER:
            for row in cells[1:]:
                rows.setdefault(row[0], row)
    return rows
