"""The one way text enters the document: XML-safe, split by script, each run set in its font."""

from __future__ import annotations

import copy
import re
from dataclasses import dataclass

from docx.oxml.ns import qn
from lxml import etree

from .options import FontConfig
from .scripts import Script, split_scripts
from .xmlsafe import xml_safe

_XML_SPACE = "{http://www.w3.org/XML/1998/namespace}space"
_BREAKS = re.compile("([\t\n])")
# Letters only Vietnamese uses among the Latin languages the workshop writes in.
_VIETNAMESE = re.compile("[ăâđêôơưĂÂĐÊÔƠƯ\u1ea0-\u1ef9]")

_HINT = {Script.LATIN: "default", Script.HANGUL: "eastAsia"}
_LANG = {
    Script.KHMER: {"val": "km-KH", "bidi": "km-KH"},
    Script.LAO: {"val": "lo-LA", "bidi": "lo-LA"},
    Script.THAI: {"val": "th-TH", "bidi": "th-TH"},
    Script.HANGUL: {"val": "ko-KR", "eastAsia": "ko-KR"},
}
_COMPLEX = frozenset({Script.KHMER, Script.LAO, Script.THAI})


@dataclass(frozen=True)
class CsMirror:
    """Complex-script twins of a paragraph style's size/bold/italic that the style lacks.

    Word and LibreOffice size and embolden Khmer, Lao and Thai from `w:szCs`/`w:bCs`/`w:iCs`;
    templates made with other tools often set only `w:sz`/`w:b`/`w:i`.
    """

    size: int | None = None  # half-points
    bold: bool = False
    italic: bool = False


NO_MIRROR = CsMirror()


class TextWriter:
    """Writes text into `w:p` elements as runs carrying per-script fonts and languages."""

    def __init__(self, fonts: FontConfig, latin_lang: str = "en-GB") -> None:
        self._fonts = fonts
        self._latin_lang = latin_lang
        self._protos: dict[tuple[object, ...], etree._Element] = {}

    def write(
        self,
        p: etree._Element,
        text: str,
        *,
        bold: bool = False,
        italic: bool = False,
        display: bool = False,
        mirror: CsMirror = NO_MIRROR,
    ) -> None:
        """Append `text` to paragraph `p`; tabs and newlines become `w:tab`/`w:br`."""
        for script, chunk in split_scripts(xml_safe(text)):
            lang = self._latin_lang
            if script is Script.LATIN and _VIETNAMESE.search(chunk):
                lang = "vi-VN"
            key = (script, bold, italic, display, mirror, lang)
            proto = self._protos.get(key)
            if proto is None:
                proto = self._protos[key] = self._rpr(script, bold, italic, display, mirror, lang)
            r = etree.SubElement(p, qn("w:r"))
            r.append(copy.deepcopy(proto))
            _append_content(r, chunk)

    @staticmethod
    def clean(text: str) -> str:
        """`text` as `write` puts it in `w:t` elements, tabs and newlines left out."""
        return xml_safe(text).replace("\t", "").replace("\n", "")

    def empty_run(self, p: etree._Element) -> etree._Element:
        """Append a Latin-script run without content to `p` (for field characters)."""
        r = etree.SubElement(p, qn("w:r"))
        r.append(self._rpr(Script.LATIN, False, False, False, NO_MIRROR, self._latin_lang))
        return r

    def _rpr(
        self,
        script: Script,
        bold: bool,
        italic: bool,
        display: bool,
        mirror: CsMirror,
        lang: str,
    ) -> etree._Element:
        family = self._fonts.family(script)
        if script is Script.LATIN and display and self._fonts.display:
            family = self._fonts.display
        rpr = etree.Element(qn("w:rPr"))
        fonts = etree.SubElement(rpr, qn("w:rFonts"))
        for slot in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
            fonts.set(qn(slot), family)
        fonts.set(qn("w:hint"), _HINT.get(script, "cs"))
        is_cs = script in _COMPLEX
        if bold:
            etree.SubElement(rpr, qn("w:b"))
        if bold or (is_cs and mirror.bold):
            etree.SubElement(rpr, qn("w:bCs"))
        if italic:
            etree.SubElement(rpr, qn("w:i"))
        if italic or (is_cs and mirror.italic):
            etree.SubElement(rpr, qn("w:iCs"))
        if is_cs and mirror.size:
            etree.SubElement(rpr, qn("w:szCs")).set(qn("w:val"), str(mirror.size))
        if is_cs:
            etree.SubElement(rpr, qn("w:cs"))
        lang_el = etree.SubElement(rpr, qn("w:lang"))
        for attr, value in _LANG.get(script, {"val": lang}).items():
            lang_el.set(qn(f"w:{attr}"), value)
        return rpr


def _append_content(r: etree._Element, chunk: str) -> None:
    for piece in _BREAKS.split(chunk):
        if piece == "\t":
            etree.SubElement(r, qn("w:tab"))
        elif piece == "\n":
            etree.SubElement(r, qn("w:br"))
        elif piece:
            t = etree.SubElement(r, qn("w:t"))
            t.text = piece
            if piece[0].isspace() or piece[-1].isspace():
                t.set(_XML_SPACE, "preserve")
