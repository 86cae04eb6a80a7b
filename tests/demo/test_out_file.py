"""--out is checked before the workshop starts: a folder, or a place nobody can write, is refused."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from bot.demo.errors import DemoError
from bot.demo.out_file import check_out, pdf_path, save


def test_a_folder_is_refused(tmp_path: Path) -> None:
    with pytest.raises(DemoError, match=r"is a folder; name a file, e\.g\. --out .*outcome\.docx"):
        check_out(tmp_path)


def test_a_missing_folder_is_created_and_no_file_left_behind(tmp_path: Path) -> None:
    out = tmp_path / "reports" / "2026" / "outcome.docx"
    check_out(out)
    assert out.parent.is_dir()
    assert not out.exists()


def test_an_existing_file_is_left_as_it_is(tmp_path: Path) -> None:
    out = tmp_path / "outcome.docx"
    out.write_bytes(b"last year's")
    check_out(out)
    assert out.read_bytes() == b"last year's"


def test_a_folder_that_cannot_be_created_is_refused(tmp_path: Path) -> None:
    (tmp_path / "notes.txt").write_text("a file, not a folder", encoding="utf-8")
    with pytest.raises(DemoError, match="cannot create its folder"):
        check_out(tmp_path / "notes.txt" / "outcome.docx")


@pytest.mark.skipif(os.geteuid() == 0, reason="root may write into a read-only folder")
def test_a_folder_nobody_may_write_to_is_refused(tmp_path: Path) -> None:
    locked = tmp_path / "locked"
    locked.mkdir(mode=0o500)
    try:
        with pytest.raises(DemoError, match="cannot write there: Permission denied"):
            check_out(locked / "outcome.docx")
    finally:
        locked.chmod(0o700)


def test_a_failed_save_is_a_demo_error(tmp_path: Path) -> None:
    (tmp_path / "outcome.docx").mkdir()
    with pytest.raises(DemoError, match="could not save the outcome document"):
        save(tmp_path / "outcome.docx", b"PK")


def test_the_pdf_goes_beside_the_document(tmp_path: Path) -> None:
    assert pdf_path(tmp_path / "reports" / "outcome.docx") == tmp_path / "reports" / "outcome.pdf"
    assert pdf_path(tmp_path / "outcome") == tmp_path / "outcome.pdf"


def test_out_naming_the_pdf_is_refused(tmp_path: Path) -> None:
    with pytest.raises(DemoError, match="names the PDF"):
        check_out(tmp_path / "outcome.pdf")
    assert list(tmp_path.iterdir()) == []
