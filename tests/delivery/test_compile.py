"""`/wg compile` uploads the PDF beside the .docx (REPORT_PDF), through the real request path.

Signed slash command → app → child build (and LibreOffice) → files v2 upload seen by the
emulator: both files in one share, with one summary comment.
"""

from __future__ import annotations

import io
import os
import shutil
import subprocess
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from bot.emulator import Emulator
from storage import audit
from tests.harness import Harness, start_harness

CHANNEL = "CEE"
RAPPORTEUR = "URAP"
KHMER = "រក្សាទុកភស្តុតាងអេឡិចត្រូនិច"
LAO = "ການສືບສວນທາງການເງິນ"


@pytest.fixture
def serve(emulator: Emulator, database_url: str) -> Iterator:
    """Start the app with the given settings (once per test), closed afterwards."""
    started: list[Harness] = []

    def start(**settings: object) -> Harness:
        emulator.reset()
        started.append(start_harness(emulator, database_url, **settings))
        return started[-1]

    yield start
    for harness in started:
        harness.close()


def compiled(harness: Harness) -> list[dict]:
    """A group with recommendations in Khmer and Lao, compiled by its rapporteur."""
    harness.link(CHANNEL, rapporteur=RAPPORTEUR)
    harness.wg("UDEL1", CHANNEL, "country KH")
    card = harness.recommend("UDEL1", CHANNEL, f"{KHMER} — {LAO}", title="Preservation")
    harness.vote("UV1", card, "support")
    harness.settle()
    assert "Compiling…" in harness.wg(RAPPORTEUR, CHANNEL, "compile")
    harness.settle(timeout=120)
    return harness.emulator.uploads()


def path_without_soffice(tmp_path: Path) -> str:
    folder = tmp_path / "no-libreoffice"
    folder.mkdir(exist_ok=True)
    return str(folder)


def broken_soffice(tmp_path: Path) -> str:
    folder = tmp_path / "broken-libreoffice"
    folder.mkdir(exist_ok=True)
    script = folder / "soffice"
    script.write_text("#!/bin/sh\necho 'cannot open display' >&2\nexit 1\n", encoding="utf-8")
    script.chmod(0o755)
    return str(folder)


@pytest.mark.pdf
@pytest.mark.parametrize("mode", ["auto", "always"])
def test_compile_uploads_the_pdf_beside_the_docx_in_one_share(serve, tmp_path, mode):
    if not (shutil.which("soffice") and shutil.which("pdftotext")):
        pytest.skip("needs LibreOffice and poppler-utils")
    harness = serve(report_pdf=mode)
    uploads = compiled(harness)

    assert sorted(u["filename"] for u in uploads) == [
        "outcome-e-evidence.docx",
        "outcome-e-evidence.pdf",
    ]
    assert {u["channel_id"] for u in uploads} == {CHANNEL}
    (share,) = harness.emulator.calls("files.completeUploadExternal")  # one message, one comment
    assert "1 recommendation" in share["params"]["initial_comment"]
    docx, pdf = sorted(uploads, key=lambda u: u["filename"])
    assert docx["content"][:2] == b"PK" and pdf["content"].startswith(b"%PDF")
    pdf_file = tmp_path / "outcome.pdf"
    pdf_file.write_bytes(pdf["content"])
    text = subprocess.run(
        ["pdftotext", str(pdf_file), "-"], check=True, capture_output=True, text=True
    ).stdout
    assert KHMER in "".join(text.split()) and "Electronic evidence" in text
    with zipfile.ZipFile(io.BytesIO(docx["content"])) as package:
        assert b"PAGEREF _Toc" in package.read("word/document.xml")
    with harness.app.session_factory() as session:
        (entry,) = [e for e in audit.entries(session) if e.action == "compile"]
    assert entry.actor_user_id == RAPPORTEUR


def test_never_uploads_the_docx_alone(serve):
    harness = serve(report_pdf="never")

    (upload,) = compiled(harness)
    assert upload["filename"] == "outcome-e-evidence.docx"
    assert harness.ephemerals(RAPPORTEUR) == []


def test_auto_without_libreoffice_uploads_the_docx_alone(serve, monkeypatch, tmp_path):
    monkeypatch.setenv("PATH", path_without_soffice(tmp_path))
    harness = serve(report_pdf="auto")

    (upload,) = compiled(harness)
    assert upload["filename"] == "outcome-e-evidence.docx"
    assert not [t for t in harness.ephemerals(RAPPORTEUR) if "PDF" in t]


def test_a_failed_pdf_still_uploads_the_docx_and_tells_the_person(serve, monkeypatch, tmp_path):
    monkeypatch.setenv("PATH", broken_soffice(tmp_path) + os.pathsep + os.environ["PATH"])
    harness = serve(report_pdf="always")

    (upload,) = compiled(harness)
    assert upload["filename"] == "outcome-e-evidence.docx"
    assert "1 recommendation" in upload["initial_comment"]
    (told,) = [t for t in harness.ephemerals(RAPPORTEUR) if "PDF" in t]
    assert "could not be made" in told and "soffice" in told
    assert "rapporteur compile --group e-evidence --out outcome.docx --pdf" in told
    with harness.app.session_factory() as session:
        assert [e.action for e in audit.entries(session) if e.action == "compile"] == ["compile"]
