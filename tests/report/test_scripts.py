"""Every script renders everywhere: run splitting, font slots, languages, XML safety."""

from __future__ import annotations

import copy

import pytest

from bot.delivery.report_options import report_options
from bot.report import FontConfig
from bot.report.scripts import Script, split_scripts
from bot.report.xmlsafe import xml_safe
from bot.settings import Settings
from storage.rules import Counts
from tests.factories import records as f

from .conftest import SAMPLES
from .readback import W, attr


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("", []),
        ("Tăng cường", [(Script.LATIN, "Tăng cường")]),
        ("전자 증거의 국경 간 보존", [(Script.HANGUL, "전자 증거의 국경 간 보존")]),
        (
            "EE-1 ការដកហូត (KH)",
            [(Script.LATIN, "EE-1 "), (Script.KHMER, "ការដកហូត "), (Script.LATIN, "(KH)")],
        ),
        (" ການສືບສວນ.", [(Script.LAO, " ການສືບສວນ"), (Script.LATIN, ".")]),
        ("หลักฐาน 2025", [(Script.THAI, "หลักฐาน "), (Script.LATIN, "2025")]),
        ("Te\u0301t", [(Script.LATIN, "Te\u0301t")]),  # a combining mark stays with its letter
        ("ກ ข", [(Script.LAO, "ກ "), (Script.THAI, "ข")]),
        ("  ", [(Script.LATIN, "  ")]),
    ],
)
def test_split_scripts(text, expected):
    assert split_scripts(text) == expected


def test_xml_safe_drops_only_what_xml_cannot_hold():
    raw = "a\x00b\x08c\x0bd\x0ce\x1ff\ufffeg\uffffh\ud800i\tj\nk<&>"
    assert xml_safe(raw) == "abcdefghi\tj\nk<&>"
    assert xml_safe("one\r\ntwo\rthree") == "one\ntwo\nthree"


def test_every_script_appears_verbatim_in_paragraphs_tables_and_header(
    compile_report, multiscript_record
):
    title = f"{SAMPLES['khmer']} — {SAMPLES['hangul']} Workshop"
    report = compile_report(multiscript_record, title=title)
    texts = report.paragraph_texts()
    cells = [cell.text for table in report.doc.tables for row in table.rows for cell in row.cells]

    for sample in SAMPLES.values():
        assert any(sample in t for t in texts), sample
        assert sample in report.text, sample
    for sample in ("khmer", "hangul", "vietnamese", "tagalog"):
        assert SAMPLES[sample] in cells
    assert report.styled("Title") == [title]
    assert title in report.header_text
    assert f"Rapporteur: {SAMPLES['hangul']}" in texts


@pytest.mark.parametrize(
    ("sample", "family", "lang"),
    [
        ("khmer", "Noto Sans Khmer", {"val": "km-KH", "bidi": "km-KH"}),
        ("lao", "Noto Sans Lao", {"val": "lo-LA", "bidi": "lo-LA"}),
        ("thai", "Noto Sans Thai", {"val": "th-TH", "bidi": "th-TH"}),
    ],
)
def test_complex_script_runs_carry_cs_font_and_bidi_language(
    compile_report, multiscript_record, sample, family, lang
):
    runs = compile_report(multiscript_record).runs_with(SAMPLES[sample])

    assert runs
    for run in runs:
        rpr = run.find(f"{W}rPr")
        fonts = rpr.find(f"{W}rFonts")
        assert {attr(fonts, slot) for slot in ("ascii", "hAnsi", "cs", "eastAsia")} == {family}
        assert attr(fonts, "hint") == "cs"
        assert rpr.find(f"{W}cs") is not None
        language = rpr.find(f"{W}lang")
        assert {k: attr(language, k) for k in lang} == lang


def test_hangul_runs_use_the_east_asian_slot(compile_report, multiscript_record):
    report = compile_report(multiscript_record)
    runs = report.runs_with(SAMPLES["hangul"])

    assert len(runs) >= 3  # heading, text, summary and annex cells
    for run in runs:
        rpr = run.find(f"{W}rPr")
        fonts = rpr.find(f"{W}rFonts")
        assert attr(fonts, "eastAsia") == "Noto Sans CJK KR"
        assert attr(fonts, "hint") == "eastAsia"
        assert rpr.find(f"{W}cs") is None
        assert attr(rpr.find(f"{W}lang"), "eastAsia") == "ko-KR"


def test_latin_runs_use_the_latin_family(compile_report, multiscript_record):
    report = compile_report(multiscript_record)

    for sample, lang in (("vietnamese", "vi-VN"), ("tagalog", "en-GB")):
        for run in report.runs_with(SAMPLES[sample]):
            rpr = run.find(f"{W}rPr")
            fonts = rpr.find(f"{W}rFonts")
            assert attr(fonts, "ascii") == attr(fonts, "hAnsi") == "Noto Sans"
            assert rpr.find(f"{W}cs") is None
            assert attr(rpr.find(f"{W}lang"), "val") == lang


def test_header_runs_are_split_by_script_too(compile_report, multiscript_record):
    report = compile_report(multiscript_record, title=f"Workshop {SAMPLES['lao']}")
    header = report.doc.sections[0].header._element
    (run,) = report.runs_with(SAMPLES["lao"], root=header)

    assert attr(run.find(f"{W}rPr/{W}rFonts"), "cs") == "Noto Sans Lao"


def test_font_families_are_configurable(compile_report, multiscript_record):
    fonts = FontConfig(latin="Noto Serif", khmer="Noto Serif Khmer", hangul="Noto Serif CJK KR")
    report = compile_report(multiscript_record, fonts=fonts)

    (khmer, *_) = report.runs_with(SAMPLES["khmer"])
    assert attr(khmer.find(f"{W}rPr/{W}rFonts"), "cs") == "Noto Serif Khmer"
    (hangul, *_) = report.runs_with(SAMPLES["hangul"])
    assert attr(hangul.find(f"{W}rPr/{W}rFonts"), "eastAsia") == "Noto Serif CJK KR"
    (latin, *_) = report.runs_with(SAMPLES["tagalog"])
    assert attr(latin.find(f"{W}rPr/{W}rFonts"), "ascii") == "Noto Serif"


def test_markup_like_text_appears_as_typed(compile_report):
    rec = f.recommendation("EE", 1, title="<b>bold?</b>", text="<!channel> & <b>")
    report = compile_report(f.workshop(f.group("e-evidence", rec)))

    assert "<!channel> & <b>" in report.paragraph_texts()
    assert "<!channel> & <b>" in report.text
    assert "EE-1 <b>bold?</b>" in report.styled("Heading 3")


def test_characters_xml_cannot_hold_are_dropped_and_the_input_kept(compile_report):
    text = "Evi\x00dence\x0b\x0c \x1f\ufffe\uffff\ud800ok"
    rec = f.recommendation("EE", 1, title="T\x01itle", text=text, rationale="R\x02")
    record = f.workshop(f.group("e-evidence", rec))
    before = copy.deepcopy(record)

    report = compile_report(record, title="Work\x00shop", venue="Bang\x07kok")

    assert record == before
    assert record.groups[0].recommendations[0].text == text
    texts = report.paragraph_texts()
    assert "Evidence ok" in texts
    assert "EE-1 Title" in report.styled("Heading 3")
    assert "Rationale: R" in texts
    assert report.styled("Title") == ["Workshop"]
    assert report.doc.core_properties.title == "Workshop"


def test_tabs_and_newlines_become_tabs_and_line_breaks(compile_report):
    rec = f.recommendation("EE", 1, text="a\tb\r\nc\nd", counts=Counts(1, 0, 0))
    report = compile_report(f.workshop(f.group("e-evidence", rec)))
    (paragraph,) = [p for p in report.doc.paragraphs if p.text == "a\tb\nc\nd"]

    xml = paragraph._p
    assert len(xml.findall(f".//{W}tab")) == 1
    assert len(xml.findall(f".//{W}br")) == 2


def test_title_family_is_the_report_font_display_setting(compile_report, monkeypatch):
    monkeypatch.setenv("REPORT_FONT_DISPLAY", "Playfair Display")
    settings = Settings(_env_file=None)  # type: ignore[call-arg]
    options = report_options(settings)
    report = compile_report(f.workshop(f.group("e-evidence")), fonts=options.fonts)

    assert options.fonts.display == "Playfair Display"
    title = report.doc.paragraphs[[p.style.name for p in report.doc.paragraphs].index("Title")]
    for run in title._p.iter(f"{W}r"):
        assert attr(run.find(f"{W}rPr/{W}rFonts"), "ascii") == "Playfair Display"
    (subtitle, *_) = report.runs_with("Outcome document")
    assert attr(subtitle.find(f"{W}rPr/{W}rFonts"), "ascii") == "Noto Sans"


def test_report_font_display_defaults_to_noto_serif(monkeypatch):
    monkeypatch.delenv("REPORT_FONT_DISPLAY", raising=False)

    assert report_options(Settings(_env_file=None)).fonts.display == "Noto Serif"  # type: ignore[call-arg]
