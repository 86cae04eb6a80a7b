"""Package parts besides the body: extended properties, settings and unused leftovers."""

from __future__ import annotations

import secrets
import uuid

from docx.document import Document
from docx.opc.constants import CONTENT_TYPE as CT
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.opc.packuri import PackURI
from docx.opc.part import Part
from docx.oxml.ns import qn
from lxml import etree

APPLICATION = "Rapporteur"
_APP_NS = "http://schemas.openxmlformats.org/officeDocument/2006/extended-properties"
_VT_NS = "http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes"
_BIBLIOGRAPHY = "{http://schemas.openxmlformats.org/officeDocument/2006/bibliography}Sources"
_W15 = "http://schemas.microsoft.com/office/word/2012/wordml"
# Extended properties that describe the organization rather than one saved file.
_KEPT_APP_PROPERTIES = ("Manager", "Company", "HyperlinkBase")
# Settings that describe the file the template was saved as, not the compiled document.
_STALE_SETTINGS = ("w:proofState", "w:savePreviewPicture", "w:rsids")


def clean_package(doc: Document) -> None:
    """Drop what describes the template file rather than this document.

    The thumbnail, the empty bibliography Word and python-docx add, the proofing state and
    revision ids, and the extended properties (application, template, page and word counts),
    which are rewritten naming Rapporteur.
    """
    _drop_thumbnail(doc)
    _drop_empty_bibliography(doc)
    settings = doc.settings.element
    for tag in _STALE_SETTINGS:
        for el in settings.findall(qn(tag)):
            settings.remove(el)
    _write_app_properties(doc)


def prepare_for_opening(doc: Document) -> None:
    """Fresh document ids, so two compiled documents never claim to be the same file.

    The contents are refreshed on opening through their dirty field (see `frontmatter`),
    not `w:updateFields`, which would make Word ask about updating every time it opens.
    """
    settings = doc.settings.element
    for el in settings.iter(qn("w14:docId")):
        # ST_LongHexNumber; Word keeps it below 0x80000000.
        el.set(qn("w14:val"), f"{secrets.randbelow(0x7FFFFFFE) + 1:08X}")
    for el in settings.iter(f"{{{_W15}}}docId"):
        el.set(f"{{{_W15}}}val", "{" + str(uuid.uuid4()).upper() + "}")


def _drop_thumbnail(doc: Document) -> None:
    """A template's preview picture would show the template, not this document."""
    rels = doc.part.package.rels
    for r_id in [r_id for r_id, rel in rels.items() if rel.reltype == RT.THUMBNAIL]:
        del rels[r_id]


def _drop_empty_bibliography(doc: Document) -> None:
    """Drop custom XML parts holding an empty source list; other custom XML (data bound to
    content controls, document-management metadata) belongs to the template and stays."""
    rels = doc.part.rels
    for r_id, rel in list(rels.items()):
        if rel.is_external or rel.reltype != RT.CUSTOM_XML:
            continue
        try:
            root = etree.fromstring(rel.target_part.blob)
        except etree.XMLSyntaxError:
            continue
        if root.tag == _BIBLIOGRAPHY and len(root) == 0:
            del rels[r_id]


def _write_app_properties(doc: Document) -> None:
    """docProps/app.xml naming Rapporteur, with no template name and no stale statistics."""
    package = doc.part.package
    kept: dict[str, str] = {}
    for r_id, rel in list(package.rels.items()):
        if rel.reltype != RT.EXTENDED_PROPERTIES or rel.is_external:
            continue
        try:
            old = etree.fromstring(rel.target_part.blob)
        except etree.XMLSyntaxError:
            old = None
        for name in _KEPT_APP_PROPERTIES:
            value = None if old is None else old.findtext(f"{{{_APP_NS}}}{name}")
            if value and value.strip():
                kept[name] = value
        del package.rels[r_id]
    root = etree.Element(f"{{{_APP_NS}}}Properties", nsmap={None: _APP_NS, "vt": _VT_NS})
    values = {
        "Application": APPLICATION,
        "DocSecurity": "0",
        "ScaleCrop": "false",
        **kept,
        "LinksUpToDate": "false",
        "SharedDoc": "false",
        "HyperlinksChanged": "false",
    }
    for name, value in values.items():
        etree.SubElement(root, f"{{{_APP_NS}}}{name}").text = value
    blob = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)
    part = Part(PackURI("/docProps/app.xml"), CT.OFC_EXTENDED_PROPERTIES, blob, package)
    package.relate_to(part, RT.EXTENDED_PROPERTIES)
