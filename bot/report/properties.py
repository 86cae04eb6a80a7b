"""Core properties (title, status, dates…) and package clean-up of the template's leftovers."""

from __future__ import annotations

from docx.document import Document
from docx.opc.constants import RELATIONSHIP_TYPE as RT

from .context import Context
from .xmlsafe import xml_safe

_MAX = 255  # python-docx (and Office) limit for core property strings
_CLEARED = ("category", "comments", "identifier", "language", "version")


def set_core_properties(doc: Document, ctx: Context) -> None:
    """Set every core property from the record and options; clear what the template left."""
    props = doc.core_properties
    t, outcome = ctx.texts, ctx.outcome
    author = ctx.options.author or ctx.options.organizers
    props.title = _fit(ctx.options.title)
    props.subject = _fit(t("subject", group=outcome.scope_name))
    props.author = _fit(author)
    props.last_modified_by = _fit(author)
    props.keywords = _fit(t("keywords", groups=[g.group.name for g in outcome.groups]))
    props.content_status = t("status", final=outcome.final)
    generated = outcome.generated_at.replace(tzinfo=None)  # python-docx writes it with a "Z"
    props.created = generated
    props.modified = generated
    props.revision = 1
    for name in _CLEARED:
        setattr(props, name, "")
    printed = props._element.find(
        "{http://schemas.openxmlformats.org/package/2006/metadata/core-properties}lastPrinted"
    )
    if printed is not None:
        props._element.remove(printed)
    _drop_thumbnail(doc)


def _fit(text: str) -> str:
    return xml_safe(text).replace("\n", " ")[:_MAX]


def _drop_thumbnail(doc: Document) -> None:
    """A template's preview picture would show the template, not this document."""
    rels = doc.part.package.rels
    for r_id in [r_id for r_id, rel in rels.items() if rel.reltype == RT.THUMBNAIL]:
        del rels[r_id]
