"""bot.report.options: what a caller may leave out or pass loosely."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from bot.report import FontConfig, ReportOptions
from bot.report.scripts import Script


def _options(**kw: Any) -> ReportOptions:
    return ReportOptions(title="Workshop", venue="Bangkok", dates="2025", organizers="UNODC", **kw)


def test_a_template_given_as_text_becomes_a_path():
    assert _options(template="letterhead.docx").template == Path("letterhead.docx")
    assert _options().template is None


@pytest.mark.parametrize(("author", "expected"), [(None, "UNODC"), ("", "UNODC"), ("Rita", "Rita")])
def test_the_author_defaults_to_the_organizers(author, expected):
    assert _options(author=author).author == expected


def test_each_script_has_its_own_family_and_the_display_family_is_not_one_of_them():
    fonts = FontConfig(latin="Latin Sans", thai="Thai Sans", display="Display Serif")

    assert fonts.family(Script.LATIN) == "Latin Sans"
    assert fonts.family(Script.THAI) == "Thai Sans"
    assert fonts.family(Script.HANGUL) == "Noto Sans CJK KR"
