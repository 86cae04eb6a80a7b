"""`rapporteur export --format csv --out FILE`: read back with the csv module (BOM, the
header, every script verbatim, quoting as the module does), and opened by LibreOffice."""

from __future__ import annotations

import csv
import io
import subprocess
import zipfile
from pathlib import Path
from xml.etree import ElementTree

import pytest

from bot.cli import main
from bot.report.csv_export import csv_bytes
from storage import groups, reservations, votes
from storage.exports import export_rows
from storage.models import Choice, Procedure
from storage.rules import AdoptionRule
from tests.factories import ORGANIZER, RAPPORTEUR, delegate, linked_group, submitted
from tests.factories.seats import seat

XLSX = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
HEADER = [
    "number",
    "group",
    "title",
    "text",
    "author",
    "delegation",
    "procedure",
    "support",
    "oppose",
    "abstain",
    "objections",
    "outcome",
    "status",
    "reservations",
    "comments",
    "last change",
]
TEXTS = {
    "KH": "រក្សាទុកភស្តុតាងអេឡិចត្រូនិចរយៈពេល ១៨០ ថ្ងៃ",
    "LA": "ການຮັກສາຫຼັກຖານເອເລັກໂຕຣນິກ",
    "TH": "การเก็บรักษาพยานหลักฐานอิเล็กทรอนิกส์",
    "KR": "전자 증거를 180일 동안 보존한다",
    "VN": "Lưu giữ chứng cứ điện tử trong 180 ngày",
    "PH": 'Pangalagaan ang "ebidensiya", sa loob ng 180 araw;\nikalawang talata',
}


@pytest.fixture
def workshop(session_factory) -> None:
    """A text in each script (one with quotes, a comma and a line break), votes, a
    reservation; one group deciding by consensus."""
    with session_factory.begin() as session:
        linked_group(session)
        seat(session, "UTH9", "TH", name="Somchai")
        for code, text in TEXTS.items():
            rec = submitted(
                session, delegate(f"U{code}1", f"Author «{code}»"), text=text, country=code
            )
            votes.cast(
                session,
                actor=delegate(f"UV{code}"),
                recommendation_id=rec.id,
                choice=Choice.SUPPORT,
            )
        reservations.enter(
            session,
            actor=delegate("UTH9"),
            recommendation_id=rec.id,
            delegation="TH",
            text="ไม่เห็นด้วย",
        )
        groups.link_channel(
            session, actor=ORGANIZER, channel_id="CVP", group_key="victim-protection"
        )
        groups.set_procedure(
            session, actor=ORGANIZER, channel_id="CVP", procedure=Procedure.CONSENSUS
        )
        submitted(session, key="victim-protection", text="=SUM(1,2)", country=None)
        assert RAPPORTEUR.user_id


def _export(tmp_path: Path) -> bytes:
    out = tmp_path / "recommendations.csv"
    assert main(["export", "--format", "csv", "--out", str(out)]) == 0
    return out.read_bytes()


def test_the_csv_reads_back_with_the_csv_module(cli_env, workshop, tmp_path, session_factory):
    content = _export(tmp_path)
    assert content.startswith(b"\xef\xbb\xbf")  # UTF-8 with a BOM, for Excel
    rows = list(csv.reader(io.StringIO(content.decode("utf-8-sig"), newline="")))
    assert rows[0] == HEADER
    body = [dict(zip(HEADER, row, strict=True)) for row in rows[1:]]
    assert [r["number"] for r in body] == ["EE-1", "EE-2", "EE-3", "EE-4", "EE-5", "EE-6", "VP-1"]
    assert [r["text"] for r in body[:6]] == list(TEXTS.values())  # every script verbatim
    assert [r["delegation"] for r in body[:6]] == list(TEXTS)
    assert body[0]["author"] == "Author «KH»" and body[0]["group"] == "Electronic evidence"
    assert (body[0]["support"], body[0]["oppose"], body[0]["abstain"]) == ("1", "0", "0")
    assert body[0]["outcome"] == "adopted" and body[0]["status"] == "open"
    assert body[5]["reservations"] == "TH" and body[0]["reservations"] == ""
    assert body[0]["comments"] == "0" and body[0]["last change"].endswith("+00:00")
    consensus = body[6]
    assert consensus["procedure"] == "consensus" and consensus["support"] == ""
    assert consensus["objections"] == "" and consensus["outcome"] == "adopted"
    assert consensus["text"] == "=SUM(1,2)"

    # Quoted exactly as csv.writer's default dialect quotes: minimal, CRLF line ends.
    with session_factory() as session:
        rows_again = export_rows(session, rule=AdoptionRule())
    assert content == csv_bytes(rows_again)
    assert b'"Pangalagaan ang ""ebidensiya"", sa loob ng 180 araw;\nikalawang talata"' in content
    assert b",Lu" not in content and "Lưu giữ".encode() in content
    assert content.count(b"\r\n") == len(rows)


def test_without_out_it_writes_to_standard_output(cli_env, workshop, capsysbinary):
    assert main(["export", "--format", "csv"]) == 0
    out = capsysbinary.readouterr().out
    assert out.startswith(b"\xef\xbb\xbf") and TEXTS["KR"].encode("utf-8") in out


def test_the_json_format_stays_the_default(cli_env, workshop, capsys):
    assert main(["export"]) == 0
    assert '"format": "rapporteur-export"' in capsys.readouterr().out


@pytest.mark.pdf
def test_libreoffice_opens_it(cli_env, workshop, tmp_path):
    from bot.report.libreoffice import soffice_path

    soffice = soffice_path()
    if soffice is None:
        pytest.skip("LibreOffice (soffice) is not installed")
    source = tmp_path / "recommendations.csv"
    source.write_bytes(_export(tmp_path))
    outdir = tmp_path / "xlsx"
    profile = (tmp_path / "profile").as_uri()
    # Headless, LibreOffice does not sniff a CSV's character set as its import dialog does
    # (which preselects UTF-8 from the BOM): the filter options name it (44: comma, 34: ",
    # 76: UTF-8, 1: from the first line).
    subprocess.run(
        [
            soffice,
            f"-env:UserInstallation={profile}",
            "--headless",
            "--infilter=CSV:44,34,76,1",
            "--convert-to",
            "xlsx",
            "--outdir",
            str(outdir),
            str(source),
        ],
        check=True,
        capture_output=True,
        timeout=300,
    )
    book = outdir / "recommendations.xlsx"
    assert book.is_file(), (
        "LibreOffice did not convert the CSV (is Calc installed? libreoffice-calc-nogui)"
    )
    with zipfile.ZipFile(book) as archive:
        shared = ElementTree.fromstring(archive.read("xl/sharedStrings.xml"))
    # Each cell's text, its runs joined (LibreOffice gives Hangul a run of its own).
    cells = {"".join(t.text or "" for t in si.iter(f"{XLSX}t")) for si in shared}
    assert set(TEXTS.values()) <= cells  # every script, and the quoted line break, verbatim
    assert {"number", "last change", "Electronic evidence"} <= cells  # no BOM in a cell
