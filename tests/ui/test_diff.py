"""bot.ui.diff: what an amendment changes, word by word, as escaped mrkdwn."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.ui.diff import DELETE, EQUAL, INSERT, diff, mrkdwn_chunks, mrkdwn_pieces


def shown(before: str, after: str) -> str:
    return "".join(mrkdwn_pieces(before, after))


def test_whole_words_struck_through_and_in_bold():
    assert shown("Preserve logs for 180 days.", "Preserve traffic logs for 365 days.") == (
        "Preserve *traffic* logs for ~180~ *365* days."
    )
    assert shown("Keep all logs.", "Keep logs safely.") == "Keep ~all~ logs *safely*."


def test_edits_apart_only_by_spaces_or_punctuation_are_one():
    assert diff("one two", "three four") == [(DELETE, "one two"), (INSERT, "three four")]
    assert shown("a, b", "c, d") == "~a, b~ *c, d*"


def test_a_changed_word_is_never_split():
    assert diff("Preserve logs.", "Promptly preserve logs.") == [
        (DELETE, "Preserve"),
        (INSERT, "Promptly preserve"),
        (EQUAL, " logs."),
    ]


def test_user_text_is_escaped_and_marks_close_on_each_line():
    text = shown("See <!channel> & a\nline two", "See <!channel> & b\nline 2 more")
    assert text == "See &lt;!channel&gt; &amp; ~a~ *b*\nline ~two~ *2 more*"
    assert "<!channel>" not in text


def test_scripts_without_spaces_are_compared_by_character():
    before, after = "ประเทศไทยขอสงวนท่าที", "ประเทศไทยไม่ขอสงวนท่าที"
    assert diff(before, after) == [(EQUAL, "ประเทศไทย"), (INSERT, "ไม่"), (EQUAL, "ขอสงวนท่าที")]
    assert shown(before, after) == "ประเทศไทย\u200b*ไม่*\u200bขอสงวนท่าที"  # seen as bold


@pytest.mark.parametrize("char", ["&", "<", "ក"])
def test_long_texts_fit_in_sections(char):
    chunks = mrkdwn_chunks(char * 3000, "x " + char * 2999)
    assert all(len(c) <= 3000 for c in chunks)
    assert len(chunks) <= 10


@settings(max_examples=60, deadline=None)
@given(st.text(max_size=80), st.text(max_size=80))
def test_the_pieces_make_both_texts(before, after):
    changes = diff(before, after)
    assert "".join(t for op, t in changes if op != INSERT) == before
    assert "".join(t for op, t in changes if op != DELETE) == after
