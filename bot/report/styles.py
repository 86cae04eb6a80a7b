"""The template's named styles the outcome document uses, checked up front."""

from __future__ import annotations

from dataclasses import dataclass

from docx.document import Document
from docx.enum.style import WD_STYLE_TYPE
from docx.oxml.ns import qn
from lxml import etree

from .errors import TemplateError
from .runs import CsMirror

REQUIRED_PARAGRAPH_STYLES = ("Normal", "Title", "Subtitle", "Heading 1", "Heading 2")
TABLE_STYLES = ("Outcome Table", "Table Grid")  # the first one the template has is used
# Styles used when the template has them; otherwise the paragraph falls back to Normal.
OPTIONAL_PARAGRAPH_STYLES = ("Heading 3", "Table Text", "TOC Heading", "Document Status")
HEADER_FOOTER_STYLES = ("Header", "Footer")
# Top-level headings that are not thematic groups (Introduction, the annexes): they look like
# Heading 1 and sit at outline level 1 (so the contents list them), but Heading 1 is kept for
# the groups alone. A template without them gets them, based on its own Heading 1.
PART_HEADING = "Part Heading"
ANNEX_HEADING = "Annex Heading"
HEADING_1_TWINS = (PART_HEADING, ANNEX_HEADING)


@dataclass(frozen=True)
class ParagraphStyle:
    """A paragraph style's id and the complex-script twins it lacks."""

    style_id: str
    mirror: CsMirror
    name: str


@dataclass(frozen=True)
class StyleSheet:
    """The styles one outcome document is written with."""

    normal: ParagraphStyle
    title: ParagraphStyle
    subtitle: ParagraphStyle
    heading1: ParagraphStyle  # thematic groups only
    part_heading: ParagraphStyle  # Introduction; "Recommendations" when there are none
    annex_heading: ParagraphStyle
    heading2: ParagraphStyle
    heading3: ParagraphStyle | None  # None: recommendation headings are bold Normal text
    table_text: ParagraphStyle
    toc_heading: ParagraphStyle
    status: ParagraphStyle
    header: ParagraphStyle
    footer: ParagraphStyle
    table_id: str


def load_styles(doc: Document, source: str) -> StyleSheet:
    """Resolve the styles in `doc`, adding the Heading 1 twins it lacks.

    Raises TemplateError naming every required style missing.
    """
    missing = [name for name in REQUIRED_PARAGRAPH_STYLES if not _has(doc, name, paragraph=True)]
    table = next((n for n in TABLE_STYLES if _has(doc, n, paragraph=False)), None)
    if table is None:
        missing.append(TABLE_STYLES[0])
    if missing:
        names = ", ".join(f'"{name}"' for name in missing)
        raise TemplateError(
            f"The Word template {source} lacks the style(s) {names} that the outcome document "
            f"uses. Add them (in Word, apply each style once so it is saved in the file), or "
            f"start from templates/word/outcome-template.docx."
        )
    for name in HEADING_1_TWINS:
        add_heading_1_twin(doc, name, source=source)
    resolver = _Resolver(doc)
    normal = resolver.paragraph("Normal")

    def optional(name: str) -> ParagraphStyle | None:
        return resolver.paragraph(name) if _has(doc, name, paragraph=True) else None

    return StyleSheet(
        normal=normal,
        title=resolver.paragraph("Title"),
        subtitle=resolver.paragraph("Subtitle"),
        heading1=resolver.paragraph("Heading 1"),
        part_heading=resolver.paragraph(PART_HEADING),
        annex_heading=resolver.paragraph(ANNEX_HEADING),
        heading2=resolver.paragraph("Heading 2"),
        heading3=optional("Heading 3"),
        table_text=optional("Table Text") or normal,
        toc_heading=optional("TOC Heading") or normal,
        status=optional("Document Status") or normal,
        header=optional("Header") or normal,
        footer=optional("Footer") or normal,
        table_id=doc.styles[table].style_id,
    )


def add_heading_1_twin(doc: Document, name: str, *, source: str) -> None:
    """Add paragraph style `name`, looking like Heading 1 at outline level 1, unless present.

    Raises TemplateError when `name` exists but is not a paragraph style.
    """
    if _has(doc, name, paragraph=True):
        return
    if name in doc.styles:
        raise TemplateError(
            f'The Word template {source} has a style "{name}" that is not a paragraph style; '
            f"the outcome document uses it for headings. Rename or delete it."
        )
    heading = doc.styles["Heading 1"]
    style = doc.styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
    style.base_style = heading
    style.next_paragraph_style = doc.styles["Normal"]
    style.quick_style = True
    style.priority = heading.priority if heading.priority is not None else 9
    ppr = style.element.get_or_add_pPr()
    if heading.element.find(f"{qn('w:pPr')}/{qn('w:numPr')}") is not None:
        # A numbered Heading 1 numbers the groups; the Introduction and annexes stay unnumbered.
        num_pr = etree.SubElement(ppr, qn("w:numPr"))
        etree.SubElement(num_pr, qn("w:numId")).set(qn("w:val"), "0")
    # Explicit, not inherited: a Heading 1 made outside Word may leave its level implicit.
    etree.SubElement(ppr, qn("w:outlineLvl")).set(qn("w:val"), "0")


def _has(doc: Document, name: str, *, paragraph: bool) -> bool:
    if name not in doc.styles:
        return False
    kind = WD_STYLE_TYPE.PARAGRAPH if paragraph else WD_STYLE_TYPE.TABLE
    return doc.styles[name].type == kind


class _Resolver:
    """Reads run properties along a style's basedOn chain, down to the document defaults."""

    def __init__(self, doc: Document) -> None:
        root = doc.styles.element
        self._by_id = {el.get(qn("w:styleId")): el for el in root.iterchildren(qn("w:style"))}
        self._defaults = root.find(f"{qn('w:docDefaults')}/{qn('w:rPrDefault')}/{qn('w:rPr')}")
        self._doc = doc

    def paragraph(self, name: str) -> ParagraphStyle:
        style = self._doc.styles[name]
        chain = self._chain(style.style_id)
        size, size_depth = self._find(chain, "w:sz")
        _, size_cs_depth = self._find(chain, "w:szCs")
        bold, bold_depth = self._find(chain, "w:b")
        _, bold_cs_depth = self._find(chain, "w:bCs")
        italic, italic_depth = self._find(chain, "w:i")
        _, italic_cs_depth = self._find(chain, "w:iCs")
        mirror = CsMirror(
            size=int(size.get(qn("w:val")))
            if size is not None and size_depth < size_cs_depth
            else None,
            bold=_on(bold) and bold_depth < bold_cs_depth,
            italic=_on(italic) and italic_depth < italic_cs_depth,
        )
        return ParagraphStyle(style_id=style.style_id, mirror=mirror, name=name)

    def _chain(self, style_id: str) -> list[etree._Element]:
        chain: list[etree._Element] = []
        seen: set[str] = set()
        current: str | None = style_id
        while current and current not in seen and current in self._by_id:
            seen.add(current)
            el = self._by_id[current]
            rpr = el.find(qn("w:rPr"))
            if rpr is not None:
                chain.append(rpr)
            based = el.find(qn("w:basedOn"))
            current = based.get(qn("w:val")) if based is not None else None
        if self._defaults is not None:
            chain.append(self._defaults)
        return chain

    @staticmethod
    def _find(chain: list[etree._Element], tag: str) -> tuple[etree._Element | None, int]:
        for depth, rpr in enumerate(chain):
            el = rpr.find(qn(tag))
            if el is not None:
                return el, depth
        return None, len(chain)


def _on(el: etree._Element | None) -> bool:
    return el is not None and el.get(qn("w:val"), "true") not in ("0", "false", "off")
