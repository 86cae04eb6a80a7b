"""Core properties (title, status, dates…), none left from the template."""

from __future__ import annotations

from docx.document import Document

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


def _fit(text: str) -> str:
    return xml_safe(text).replace("\n", " ")[:_MAX]
