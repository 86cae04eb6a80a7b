"""REPORT_PDF (auto, always, never) at start-up, and `rapporteur compile --pdf`.

LibreOffice's absence is simulated with a PATH that holds no `soffice`; its presence, where
only the decision matters, with a stand-in `soffice` script.
"""

from __future__ import annotations

import io
import os
import re
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from bot.cli import main
from bot.delivery.report_options import report_options
from bot.settings import ReportPdf, Settings, SettingsError, load_settings
from storage import votes
from storage.models import Choice
from tests.factories import delegate, linked_group, submitted
from tests.factories.records import SAMPLES

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


@pytest.fixture
def environ(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> pytest.MonkeyPatch:
    """No settings but the test's, and no .env to read."""
    for name in os.environ:
        if name.startswith(("SLACK_", "DATABASE_URL", "LOG_", "ENVIRONMENT", "REPORT_")):
            monkeypatch.delenv(name)
    monkeypatch.chdir(tmp_path)
    return monkeypatch


def bin_dir(tmp_path: Path, *, soffice: bool) -> str:
    """A PATH entry holding a stand-in `soffice` (or nothing)."""
    path = tmp_path / ("with-soffice" if soffice else "without-soffice")
    path.mkdir(exist_ok=True)
    if soffice:
        script = path / "soffice"
        script.write_text("#!/bin/sh\nexit 0\n", encoding="utf-8")
        script.chmod(0o755)
    return str(path)


def settings(**values: object) -> Settings:
    return Settings(_env_file=None, **values)  # type: ignore[call-arg]


def test_the_default_is_auto(environ):
    assert settings().report_pdf is ReportPdf.AUTO


@pytest.mark.parametrize(
    ("mode", "installed", "pdf"),
    [
        ("auto", True, True),
        ("auto", False, False),
        ("always", True, True),
        ("never", True, False),
        ("never", False, False),
    ],
)
def test_whether_compiles_make_a_pdf(environ, tmp_path, mode, installed, pdf):
    environ.setenv("PATH", bin_dir(tmp_path, soffice=installed))
    chosen = settings(report_pdf=mode)

    assert chosen.wants_pdf is pdf
    assert report_options(chosen).pdf is pdf


def test_always_without_libreoffice_is_an_error_naming_the_setting(environ, tmp_path):
    environ.setenv("PATH", bin_dir(tmp_path, soffice=False))

    with pytest.raises(SettingsError, match="REPORT_PDF") as caught:
        load_settings(report_pdf="always")
    assert "LibreOffice" in str(caught.value)


def test_a_value_that_is_no_mode_is_named(environ):
    with pytest.raises(SettingsError, match="REPORT_PDF"):
        load_settings(report_pdf="sometimes")


@pytest.mark.parametrize("command", [["serve", "--port", "1"], ["serve", "--socket"]], ids=" ".join)
def test_serve_does_not_start_with_always_and_no_libreoffice(environ, tmp_path, capsys, command):
    environ.setenv("PATH", bin_dir(tmp_path, soffice=False))
    environ.setenv("REPORT_PDF", "always")

    assert main(command) == 2
    err = capsys.readouterr().err
    assert "REPORT_PDF" in err and "soffice" in err
    assert len(err.strip().splitlines()) == 1


def test_serve_process_stops_at_start_up_naming_the_setting(tmp_path):
    env = {k: v for k, v in os.environ.items() if not k.startswith(("SLACK_", "REPORT_"))}
    env.update(PATH=bin_dir(tmp_path, soffice=False), REPORT_PDF="always")
    done = subprocess.run(
        [sys.executable, "-m", "bot.cli", "serve", "--port", "0"],
        env=env,
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 2
    assert "REPORT_PDF" in done.stderr and "Traceback" not in done.stderr


def filled(session_factory) -> None:
    """A group with a recommendation in each script of the workshop, one vote each."""
    with session_factory.begin() as session:
        linked_group(session)
        for n, sample in enumerate(SAMPLES.values(), start=1):
            rec = submitted(session, delegate(f"UD{n}"), text=f"{sample} — {n}", country="VN")
            votes.cast(
                session, actor=delegate("UV1"), recommendation_id=rec.id, choice=Choice.SUPPORT
            )


def compile_command(
    *args: str, database_url: str, path: str | None = None
) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("SLACK_", "DATABASE_URL"))}
    env["DATABASE_URL"] = database_url
    if path is not None:
        env["PATH"] = path
    return subprocess.run(
        [sys.executable, "-m", "bot.cli", "compile", *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )


def test_compile_pdf_without_libreoffice_says_so_and_writes_nothing(
    session_factory, database_url, tmp_path
):
    filled(session_factory)
    out = tmp_path / "outcome.docx"
    done = compile_command(
        "--out", str(out), "--pdf", database_url=database_url, path=bin_dir(tmp_path, soffice=False)
    )

    assert done.returncode == 2, done.stderr
    assert "--pdf" in done.stderr and "LibreOffice" in done.stderr
    assert "Traceback" not in done.stderr
    assert not out.exists() and not out.with_suffix(".pdf").exists()


def test_compile_without_pdf_writes_the_docx_alone(session_factory, database_url, tmp_path):
    filled(session_factory)
    out = tmp_path / "outcome.docx"
    done = compile_command("--out", str(out), database_url=database_url)

    assert done.returncode == 0, done.stderr
    assert out.exists() and not out.with_suffix(".pdf").exists()


@pytest.mark.pdf
def test_compile_pdf_writes_the_pdf_beside_the_docx(session_factory, database_url, tmp_path):
    tools = {name: shutil.which(name) for name in ("soffice", "pdffonts", "pdftotext")}
    if not all(tools.values()):
        pytest.skip("needs LibreOffice and poppler-utils")
    filled(session_factory)
    out = tmp_path / "reports" / "outcome.docx"
    done = compile_command("--out", str(out), "--pdf", database_url=database_url)

    assert done.returncode == 0, done.stderr
    pdf = out.with_suffix(".pdf")
    assert f"wrote {out} and {pdf}" in done.stdout
    assert pdf.read_bytes().startswith(b"%PDF")
    fonts = subprocess.run(
        ["pdffonts", str(pdf)], check=True, capture_output=True, text=True
    ).stdout.splitlines()[2:]
    assert fonts and all(line.split()[-5] == "yes" for line in fonts), fonts
    text = subprocess.run(
        ["pdftotext", str(pdf), "-"], check=True, capture_output=True, text=True
    ).stdout
    squashed = re.sub(r"\s+", "", text)
    for name, sample in SAMPLES.items():
        assert re.sub(r"\s+", "", sample) in squashed, name
    assert "Right-click" not in text
    # The .docx beside it carries the same layout's page numbers in its contents.
    with zipfile.ZipFile(io.BytesIO(out.read_bytes())) as package:
        body = package.read("word/document.xml").decode("utf-8")
    assert body.count("PAGEREF _Toc") >= 4
