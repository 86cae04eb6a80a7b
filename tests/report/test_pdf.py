"""The outcome document's PDF (LibreOffice): every script renders, every font is embedded,
and the contents are filled, with page numbers, with no placeholder left."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest

from bot.report import build_outcome_document
from bot.report.finishing import finish
from bot.report.libreoffice import to_pdf
from tests.factories import records as f

from .conftest import SAMPLES

pytestmark = pytest.mark.pdf

NOTO_FONTS = ("NotoSans-", "NotoSansKhmer", "NotoSansLao", "NotoSansThai", "NotoSansCJK")


@pytest.fixture(scope="module")
def tools() -> dict[str, str]:
    """Paths of soffice, pdftotext and pdffonts; skips the module when one is missing."""
    found = {name: shutil.which(name) for name in ("soffice", "pdftotext", "pdffonts")}
    missing = [name for name, path in found.items() if path is None]
    if missing:
        pytest.skip(f"needs {', '.join(missing)}")
    return found  # type: ignore[return-value]


@pytest.fixture(scope="module")
def docx() -> bytes:
    """The multi-script report, as built (contents without page numbers)."""
    return build_outcome_document(f.multiscript_workshop(), f.options("Workshop"))


@pytest.fixture(scope="module")
def pdf(tools, docx, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The report's PDF as `/wg compile` and `rapporteur compile --pdf` make it."""
    out = tmp_path_factory.mktemp("pdf") / "outcome.pdf"
    out.write_bytes(finish(docx, f.options("Workshop").fonts).pdf)
    return out


def _text(tools: dict[str, str], pdf: Path) -> str:
    return subprocess.run(
        [tools["pdftotext"], "-layout", str(pdf), "-"], check=True, capture_output=True, text=True
    ).stdout


def _squash(text: str) -> str:
    """Text without whitespace: PDF extraction may break or space complex-script lines."""
    return re.sub(r"\s+", "", text)


def test_every_script_is_in_the_pdf_text(tools, pdf):
    text = _text(tools, pdf)

    for name, sample in SAMPLES.items():
        assert _squash(sample) in _squash(text), name


def test_every_font_is_embedded_and_the_noto_families_are_used(tools, pdf):
    listing = subprocess.run(
        [tools["pdffonts"], str(pdf)], check=True, capture_output=True, text=True
    ).stdout
    fonts = listing.splitlines()[2:]
    assert fonts
    # Columns: name, type, encoding, emb, sub, uni, object id (the type may hold a space).
    assert [line for line in fonts if line.split()[-5] != "yes"] == []
    for font in NOTO_FONTS:
        assert any(font in line for line in fonts), f"{font} not embedded:\n{listing}"


def test_the_contents_are_filled_with_page_numbers(tools, pdf):
    text = _text(tools, pdf)

    assert "Right-click" not in text
    assert re.search(r"Introduction\s*\.{3,}\s*\d+", text)
    assert re.search(r"Annex II\. Votes by delegation\s*\.{3,}\s*\d+", text)


def test_a_plain_conversion_shows_the_entries_too(tools, docx, tmp_path):
    """A converter that never updates fields prints the contents as built."""
    source, out = tmp_path / "outcome.docx", tmp_path / "outcome.pdf"
    source.write_bytes(docx)
    to_pdf(source, out)
    text = _text(tools, out)

    assert "Right-click" not in text
    contents = text.split("Contents", 1)[1].split("\f", 1)[0]
    for heading in ("Introduction", "Electronic evidence", "Annex I. List of submissions"):
        assert heading in contents
