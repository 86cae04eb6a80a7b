"""Where the demo saves the outcome document (and its PDF): checked before the workshop starts."""

from __future__ import annotations

from pathlib import Path

from bot.demo.errors import DemoError


def check_out(out: Path) -> None:
    """Make sure `out` can be written, creating its folder if needed; DemoError if it cannot.

    An existing file is left as it is (the demo replaces it at the end); no file is left behind.
    The PDF, when the app makes one, goes beside it (`pdf_path`).
    """
    if out.is_dir():
        raise DemoError(f"--out {out} is a folder; name a file, e.g. --out {out / 'outcome.docx'}")
    if out.suffix.lower() == ".pdf":
        raise DemoError(
            f"--out {out} names the PDF; name the Word document, e.g. --out outcome.docx"
        )
    try:
        out.parent.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise DemoError(f"--out {out}: cannot create its folder: {_reason(error)}") from None
    try:
        if out.exists():
            # Opening to append proves it writable without changing a byte of it.
            with out.open("ab"):
                pass
        else:
            with out.open("xb"):
                pass
            out.unlink()
    except OSError as error:
        raise DemoError(f"--out {out}: cannot write there: {_reason(error)}") from None


def pdf_path(out: Path) -> Path:
    """Where the PDF of the document saved to `out` goes: beside it, named like it."""
    return out.with_suffix(".pdf")


def save(out: Path, content: bytes) -> None:
    """Write the document to `out`; DemoError if that fails now (e.g. the disk is full)."""
    try:
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_bytes(content)
    except OSError as error:
        raise DemoError(f"could not save the outcome document to {out}: {_reason(error)}") from None


def _reason(error: OSError) -> str:
    return error.strerror or str(error)
