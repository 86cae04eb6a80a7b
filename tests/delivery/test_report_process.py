"""The outcome document built in a child process: the same document, and every failure told."""

from __future__ import annotations

import io
import os
import shutil
import subprocess
import sys
import zipfile
from dataclasses import replace

import pytest

from bot.delivery import report_process
from bot.delivery.report_process import BuildFailed, build, build_in_child
from bot.report import ReportOptions
from storage import votes
from storage.models import Choice
from storage.sessions import transaction
from tests.factories import delegate, linked_group, submitted
from tests.report.readback import Report


def sample_options() -> ReportOptions:
    """A simple majority, as the settings' default rule."""
    return ReportOptions(title="Workshop", venue="Bangkok", dates="2026", organizers="UNODC")


KHMER = "រក្សាទុកភស្តុតាងអេឡិចត្រូនិច <!channel> & more"


@pytest.fixture
def workshop(session_factory):
    with transaction(session_factory) as session:
        linked_group(session)
        rec = submitted(session, text=KHMER)
        for user, choice in (
            ("UV1", Choice.SUPPORT),
            ("UV2", Choice.SUPPORT),
            ("UV3", Choice.OPPOSE),
        ):
            votes.cast(session, actor=delegate(user), recommendation_id=rec.id, choice=choice)
    return session_factory


def test_the_child_builds_what_this_process_builds(workshop):
    here = build(workshop, "e-evidence", sample_options())
    there = build_in_child(workshop, "e-evidence", sample_options())
    assert (
        there.group_name,
        there.recommendations,
        there.adopted,
        there.votes,
        there.is_final,
    ) == (
        "Electronic evidence",
        1,
        1,
        3,
        False,
    )
    assert (here.group_name, here.recommendations, here.adopted, here.votes) == (
        there.group_name,
        there.recommendations,
        there.adopted,
        there.votes,
    )
    assert KHMER in Report(there.content).text
    assert Report(there.content).paragraph_texts() == Report(here.content).paragraph_texts()


def test_the_build_does_not_run_in_this_process(workshop, monkeypatch):
    def not_here(*_args: object) -> bytes:
        raise AssertionError("built in the serving process")

    monkeypatch.setattr(report_process, "build_outcome_document", not_here)
    built = build_in_child(workshop, None, sample_options())
    assert built.content[:2] == b"PK" and built.recommendations == 1


def test_an_error_in_the_child_comes_back_as_its_reason(workshop):
    with pytest.raises(BuildFailed) as failed:
        build_in_child(workshop, "no-such-group", sample_options())
    assert str(failed.value) == "UnknownGroup"  # as an in-process build reports it


@pytest.mark.parametrize(
    ("code", "reason"),
    [
        ("import os, signal; os.kill(os.getpid(), signal.SIGKILL)", "stopped by signal 9"),
        ("import sys; sys.exit(3)", "exit status 3"),
        ("print('not a pickle')", "exit status 0"),
    ],
)
def test_a_child_that_dies_is_reported(workshop, monkeypatch, code, reason):
    monkeypatch.setattr(report_process, "CHILD_COMMAND", [sys.executable, "-c", code])
    with pytest.raises(BuildFailed) as failed:
        build_in_child(workshop, None, sample_options())
    assert reason in str(failed.value)


def test_a_child_that_hangs_is_stopped(workshop, monkeypatch):
    monkeypatch.setattr(
        report_process, "CHILD_COMMAND", [sys.executable, "-c", "import time; time.sleep(60)"]
    )
    monkeypatch.setattr(report_process, "TIMEOUT_S", 1)
    with pytest.raises(BuildFailed) as failed:
        build_in_child(workshop, None, sample_options())
    assert "took longer than" in str(failed.value)


def test_started_by_hand_it_says_what_it_is_and_what_to_run():
    done = subprocess.run(
        report_process.CHILD_COMMAND,
        input=b"hello",
        capture_output=True,
        env=report_process._child_environment(),
        check=False,
        timeout=60,
    )
    assert done.returncode == 2 and done.stdout == b""
    assert b"rapporteur compile --out outcome.docx" in done.stderr


def failing_soffice(tmp_path) -> str:
    """A PATH entry whose `soffice` fails as a broken LibreOffice would."""
    folder = tmp_path / "broken-libreoffice"
    folder.mkdir()
    script = folder / "soffice"
    script.write_text("#!/bin/sh\necho 'soffice: cannot start' >&2\nexit 1\n", encoding="utf-8")
    script.chmod(0o755)
    return str(folder)


@pytest.mark.pdf
def test_the_child_makes_the_pdf_and_numbers_the_contents(workshop):
    if shutil.which("soffice") is None:
        pytest.skip("needs LibreOffice")
    built = build_in_child(workshop, "e-evidence", replace(sample_options(), pdf=True))

    assert built.pdf is not None and built.pdf.startswith(b"%PDF")
    assert built.pdf_error is None
    assert b"PAGEREF _Toc" in _body(built.content)
    assert KHMER in Report(built.content).text


def test_without_a_pdf_asked_for_none_is_made(workshop):
    built = build_in_child(workshop, None, sample_options())

    assert built.pdf is None and built.pdf_error is None
    assert b"PAGEREF" not in _body(built.content)


def test_a_failed_pdf_still_gives_the_document_and_says_why(workshop, monkeypatch, tmp_path):
    monkeypatch.setenv("PATH", failing_soffice(tmp_path) + os.pathsep + os.environ["PATH"])
    built = build_in_child(workshop, None, replace(sample_options(), pdf=True))

    assert built.pdf is None
    assert built.pdf_error and "soffice" in built.pdf_error
    assert built.content[:2] == b"PK" and KHMER in Report(built.content).text


def _body(docx: bytes) -> bytes:
    with zipfile.ZipFile(io.BytesIO(docx)) as package:
        return package.read("word/document.xml")
