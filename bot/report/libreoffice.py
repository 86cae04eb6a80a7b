"""Convert an outcome document to PDF (LibreOffice) and a page to PNG (poppler's pdftoppm)."""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import subprocess
import tempfile
import time
from pathlib import Path

SOFFICE = "soffice"
# Loads the document hidden, recomputes its indexes (the contents, with page numbers), notes
# the page of each contents bookmark, and exports the PDF: one layout for both.
_MACRO = """<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE script:module PUBLIC "-//OpenOffice.org//DTD OfficeDocument 1.0//EN" "module.dtd">
<script:module xmlns:script="http://openoffice.org/2000/script" script:name="Module1"
 script:language="StarBasic">
Sub LayOut(src As String, dst As String, pages As String)
  Dim args(0) As New com.sun.star.beans.PropertyValue
  args(0).Name = "Hidden"
  args(0).Value = True
  doc = StarDesktop.loadComponentFromURL(src, "_blank", 0, args())
  indexes = doc.getDocumentIndexes()
  For i = 0 To indexes.getCount() - 1
    indexes.getByIndex(i).update()
  Next
  cursor = doc.getCurrentController().getViewCursor()
  marks = doc.getBookmarks()
  names = marks.getElementNames()
  found = ""
  For i = 0 To UBound(names)
    If Left(names(i), 4) = "_Toc" Then
      cursor.gotoRange(marks.getByName(names(i)).getAnchor(), False)
      found = found &amp; names(i) &amp; " " &amp; cursor.getPage() &amp; Chr(10)
    End If
  Next
  sfa = createUnoService("com.sun.star.ucb.SimpleFileAccess")
  stream = createUnoService("com.sun.star.io.TextOutputStream")
  stream.setOutputStream(sfa.openFileWrite(pages))
  stream.setEncoding("UTF-8")
  stream.writeString(found)
  stream.closeOutput()
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


def soffice_path() -> str | None:
    """Where LibreOffice's `soffice` is on PATH; None when it is not installed."""
    return shutil.which(SOFFICE)


def lay_out(docx: Path, pdf: Path, *, timeout: float = 300) -> dict[str, int]:
    """Write `docx` as `pdf`, its indexes recomputed; the page of each `_Toc` bookmark.

    Headless LibreOffice in a private, throw-away profile, for `timeout` seconds at most in
    all. Raises ConversionError.
    """
    soffice = _tool(SOFFICE)
    deadline = time.monotonic() + timeout
    with tempfile.TemporaryDirectory(prefix="rapporteur-lo-") as tmp:
        work = Path(tmp)
        profile = work / "profile"
        env_arg = f"-env:UserInstallation={profile.as_uri()}"
        # Fixed names keep the macro's arguments free of quotes and commas.
        src, out, pages = work / "in.docx", work / "out.pdf", work / "pages.txt"
        shutil.copyfile(docx, src)
        _run([soffice, env_arg, "--headless", "--terminate_after_init"], timeout)
        timeout = max(1.0, deadline - time.monotonic())
        module = profile / "user/basic/Standard/Module1.xba"
        if not module.parent.is_dir():
            raise ConversionError("LibreOffice did not create its profile")
        module.write_text(_MACRO, encoding="utf-8")
        macro = f'macro:///Standard.Module1.LayOut("{src.as_uri()}","{out.as_uri()}","{pages.as_uri()}")'
        _run([soffice, env_arg, "--headless", "--norestore", macro], timeout)
        if not out.exists() or not pages.exists():
            raise ConversionError(f"LibreOffice did not convert {docx.name} to PDF")
        shutil.move(out, pdf)
        return _pages(pages.read_text(encoding="utf-8"))


def to_pdf(docx: Path, pdf: Path, *, update_indexes: bool = False, timeout: float = 180) -> None:
    """Write `docx` as `pdf` with headless LibreOffice (in a private, throw-away profile).

    With `update_indexes`, the table of contents is recomputed first (with page numbers), as
    Word does when the reader updates fields; a plain conversion shows its entries as built.
    """
    if update_indexes:
        lay_out(docx, pdf, timeout=timeout)
        return
    soffice = _tool(SOFFICE)
    with tempfile.TemporaryDirectory(prefix="rapporteur-lo-") as tmp:
        profile = Path(tmp) / "profile"
        outdir = Path(tmp) / "out"
        env_arg = f"-env:UserInstallation={profile.as_uri()}"
        command = [soffice, env_arg, "--headless", "--convert-to", "pdf", "--outdir", str(outdir)]
        _run([*command, str(docx)], timeout)
        produced = outdir / f"{docx.stem}.pdf"
        if produced.exists():
            shutil.move(produced, pdf)
    if not pdf.exists():
        raise ConversionError(f"LibreOffice did not convert {docx} to PDF")


def first_page_png(pdf: Path, png: Path, *, dpi: int = 80) -> None:
    """Render the first page of `pdf` as `png` at `dpi`."""
    prefix = png.with_suffix("")
    tool = _tool("pdftoppm")
    _run(
        [tool, "-png", "-r", str(dpi), "-f", "1", "-l", "1", "-singlefile", str(pdf), str(prefix)],
        60,
    )
    if prefix.with_suffix(".png") != png:
        prefix.with_suffix(".png").replace(png)


def _pages(text: str) -> dict[str, int]:
    """`name page` lines, as the macro writes them."""
    pages = {}
    for line in text.splitlines():
        name, _, page = line.strip().rpartition(" ")
        if name and page.isdigit():
            pages[name] = int(page)
    return pages


def _tool(name: str) -> str:
    path = shutil.which(name)
    if path is None:
        package = "LibreOffice" if name == SOFFICE else "poppler-utils"
        raise ConversionError(f"{name} is not installed ({package})")
    return path


def _run(command: list[str], timeout: float) -> None:
    """Run a tool in its own process group, so a timeout stops LibreOffice's children too."""
    process = subprocess.Popen(
        command,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        start_new_session=True,
    )
    try:
        _, stderr = process.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGKILL)
        process.communicate()
        raise ConversionError(
            f"{Path(command[0]).name} did not finish within {timeout:.0f} s"
        ) from None
    if process.returncode != 0:
        detail = stderr.decode("utf-8", "replace").strip().splitlines()[-1:] or [""]
        raise ConversionError(
            f"{Path(command[0]).name} failed (exit {process.returncode}) {detail[0]}".strip()
        )
