"""Compile the outcome document: the template as the base, then every part in order."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import docx
from docx.document import Document
from docx.opc.exceptions import PackageNotFoundError

from storage.records import WorkshopRecord

from .annexes import write_annexes
from .context import Context
from .errors import TemplateError
from .frontmatter import write_front_matter, write_introduction
from .ooxml import Body
from .options import ReportOptions
from .outcome import workshop_outcome
from .package import clean_package, prepare_for_opening
from .pagesetup import write_header_footer
from .properties import set_core_properties
from .revisions import write_revisions_annex
from .runs import TextWriter
from .sections import write_groups
from .styles import load_styles
from .toc import fill_contents
from .wording import Texts, default_template_dir

DEFAULT_TEMPLATE = "outcome-template.docx"


def build_outcome_document(record: WorkshopRecord, options: ReportOptions) -> bytes:
    """The outcome document of `record` as .docx bytes.

    Raises TemplateError when the organizer's template cannot be read or lacks a style.
    """
    path = options.template or default_template_dir() / DEFAULT_TEMPLATE
    doc = open_template(path)
    styles = load_styles(doc, source=str(path))
    ctx = Context(
        record=record,
        outcome=workshop_outcome(record, options.rule),
        options=options,
        texts=Texts(),
        body=Body(doc, styles, TextWriter(options.fonts)),
    )
    write_front_matter(ctx)
    write_introduction(ctx)
    write_groups(ctx)
    write_annexes(ctx)
    write_revisions_annex(ctx)
    fill_contents(doc, ctx.body.writer)
    write_header_footer(doc, ctx)
    set_core_properties(doc, ctx)
    clean_package(doc)
    prepare_for_opening(doc)
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


def open_template(path: Path) -> Document:
    """Open a .docx (or .dotx) template; raises TemplateError saying why it cannot be used."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise TemplateError(f"The Word template {path} cannot be read: {exc}.") from exc
    try:
        return docx.Document(io.BytesIO(_as_document(data)))
    except (PackageNotFoundError, zipfile.BadZipFile, KeyError, ValueError) as exc:
        raise TemplateError(
            f"The Word template {path} is not a Word document (.docx) python-docx can open: "
            f"{exc}. Save it from Word as “Word Document (*.docx)”."
        ) from exc


def _as_document(data: bytes) -> bytes:
    """A Word template (.dotx) differs from a document only in its main part's content type."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as src:
            types = src.read("[Content_Types].xml")
            if _DOTX_TYPE not in types:
                return data
            out = io.BytesIO()
            with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
                for item in src.infolist():
                    content = src.read(item.filename)
                    if item.filename == "[Content_Types].xml":
                        content = content.replace(_DOTX_TYPE, _DOCX_TYPE)
                    dst.writestr(item, content)
            return out.getvalue()
    except (zipfile.BadZipFile, KeyError):
        return data  # let python-docx report what is wrong


_DOTX_TYPE = b"application/vnd.openxmlformats-officedocument.wordprocessingml.template.main+xml"
_DOCX_TYPE = b"application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"
