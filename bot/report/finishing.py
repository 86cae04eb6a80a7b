"""The finished forms of an outcome document: contents with page numbers, and its PDF."""

from __future__ import annotations

import tempfile
from dataclasses import dataclass
from pathlib import Path

from .libreoffice import lay_out
from .options import FontConfig
from .toc import add_page_numbers


@dataclass(frozen=True)
class Finished:
    """The .docx with its contents' page numbers, and the same document as PDF."""

    docx: bytes
    pdf: bytes


def finish(docx: bytes, fonts: FontConfig, *, timeout: float = 300) -> Finished:
    """Lay `docx` out once in LibreOffice: the PDF, and the page numbers of the contents.

    The .docx is otherwise unchanged (only its contents entries gain their page numbers).
    Raises libreoffice.ConversionError when LibreOffice is missing or fails.
    """
    with tempfile.TemporaryDirectory(prefix="rapporteur-pdf-") as tmp:
        source, pdf = Path(tmp) / "outcome.docx", Path(tmp) / "outcome.pdf"
        source.write_bytes(docx)
        pages = lay_out(source, pdf, timeout=timeout)
        return Finished(docx=add_page_numbers(docx, pages, fonts), pdf=pdf.read_bytes())


def write_outcome(out: Path, docx: bytes, fonts: FontConfig, *, pdf: bool) -> Path | None:
    """Write the document to `out` and, with `pdf`, its PDF beside it (same name, .pdf).

    Returns the PDF's path, or None. Raises ConversionError (nothing written) when the PDF
    cannot be made, OSError when a file cannot be written.
    """
    pdf_path = None
    if pdf:
        finished = finish(docx, fonts)
        docx, pdf_path = finished.docx, out.with_suffix(".pdf")
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_bytes(docx)
    if pdf_path is not None:
        pdf_path.write_bytes(finished.pdf)
    return pdf_path
