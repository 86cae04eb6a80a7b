"""Convert an outcome document to PDF (LibreOffice) and a page to PNG (poppler's pdftoppm)."""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from pathlib import Path

_MACRO = """<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE script:module PUBLIC "-//OpenOffice.org//DTD OfficeDocument 1.0//EN" "module.dtd">
<script:module xmlns:script="http://openoffice.org/2000/script" script:name="Module1"
 script:language="StarBasic">
Sub ExportPdf(src As String, dst As String)
  Dim args(0) As New com.sun.star.beans.PropertyValue
  args(0).Name = "Hidden"
  args(0).Value = True
  doc = StarDesktop.loadComponentFromURL(src, "_blank", 0, args())
  indexes = doc.getDocumentIndexes()
  For i = 0 To indexes.getCount() - 1
    indexes.getByIndex(i).update()
  Next
  Dim f(0) As New com.sun.star.beans.PropertyValue
  f(0).Name = "FilterName"
  f(0).Value = "writer_pdf_Export"
  doc.storeToURL(dst, f())
  doc.close(True)
End Sub
</script:module>
"""


class ConversionError(RuntimeError):
    """LibreOffice or poppler is missing, or did not produce the expected file."""


def to_pdf(docx: Path, pdf: Path, *, update_indexes: bool = False, timeout: float = 180) -> None:
    """Write `docx` as `pdf` with headless LibreOffice (in a private, throw-away profile).

    With `update_indexes`, the table of contents is recomputed first, as Word does when the
    reader updates fields; a plain conversion shows the field's placeholder text.
    """
    soffice = _tool("soffice")
    with tempfile.TemporaryDirectory(prefix="rapporteur-lo-") as tmp:
        profile = Path(tmp) / "profile"
        env_arg = f"-env:UserInstallation={profile.as_uri()}"
        if update_indexes:
            _run([soffice, env_arg, "--headless", "--terminate_after_init"], timeout)
            (profile / "user/basic/Standard/Module1.xba").write_text(_MACRO, encoding="utf-8")
            macro = (
                "macro:///Standard.Module1.ExportPdf("
                f'"{docx.resolve().as_uri()}","{pdf.resolve().as_uri()}")'
            )
            _run([soffice, env_arg, "--headless", macro], timeout)
        else:
            outdir = Path(tmp) / "out"
            _run(
                [
                    soffice,
                    env_arg,
                    "--headless",
                    "--convert-to",
                    "pdf",
                    "--outdir",
                    str(outdir),
                    str(docx),
                ],
                timeout,
            )
            produced = outdir / f"{docx.stem}.pdf"
            if produced.exists():
                shutil.move(produced, pdf)
    if not pdf.exists():
        raise ConversionError(f"LibreOffice did not convert {docx} to PDF")


def first_page_png(pdf: Path, png: Path, *, dpi: int = 80) -> None:
    """Render the first page of `pdf` as `png` at `dpi`."""
    prefix = png.with_suffix("")
    _run(
        [
            _tool("pdftoppm"),
            "-png",
            "-r",
            str(dpi),
            "-f",
            "1",
            "-l",
            "1",
            "-singlefile",
            str(pdf),
            str(prefix),
        ],
        60,
    )
    if prefix.with_suffix(".png") != png:
        prefix.with_suffix(".png").replace(png)


def _tool(name: str) -> str:
    path = shutil.which(name)
    if path is None:
        raise ConversionError(f"{name} is not installed")
    return path


def _run(command: list[str], timeout: float) -> None:
    subprocess.run(command, check=True, capture_output=True, timeout=timeout)
