"""The compiled report renders every script in LibreOffice's PDF, with Noto fonts embedded."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest

from bot.report import build_outcome_document
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
def pdf(tools, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The multi-script report converted to PDF by headless LibreOffice."""
    tmp_path = tmp_path_factory.mktemp("pdf")
    docx = tmp_path / "outcome.docx"
    docx.write_bytes(build_outcome_document(f.multiscript_workshop(), f.options("Workshop")))
    profile = (tmp_path / "lo-profile").as_uri()
    subprocess.run(
        [
            tools["soffice"],
            f"-env:UserInstallation={profile}",
            "--headless",
            "--convert-to",
            "pdf",
            "--outdir",
            str(tmp_path),
            str(docx),
        ],
        check=True,
        capture_output=True,
        timeout=240,
    )
    out = tmp_path / "outcome.pdf"
    assert out.exists(), "LibreOffice produced no PDF"
    return out


def _squash(text: str) -> str:
    """Text without whitespace: PDF extraction may break or space complex-script lines."""
    return re.sub(r"\s+", "", text)


def test_every_script_is_in_the_pdf_text(tools, pdf):
    text = subprocess.run(
        [tools["pdftotext"], str(pdf), "-"], check=True, capture_output=True, text=True
    ).stdout

    for name, sample in SAMPLES.items():
        assert _squash(sample) in _squash(text), name


def test_noto_fonts_are_embedded(tools, pdf):
    listing = subprocess.run(
        [tools["pdffonts"], str(pdf)], check=True, capture_output=True, text=True
    ).stdout
    embedded = [line for line in listing.splitlines()[2:] if " yes " in line]

    for font in NOTO_FONTS:
        assert any(font in line for line in embedded), f"{font} not embedded:\n{listing}"
