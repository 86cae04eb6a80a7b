"""bot.web.pages: the headline of a recommendation, the arrows' order, the page's wording."""

from __future__ import annotations

import unicodedata

import pytest

from bot.web.pages import HEADLINE_CHARS, headline, render_page, view_for
from storage.board import BoardGroup, BoardRecommendation, BoardState
from storage.models import Procedure
from storage.rules import Counts


def rec(text: str, title: str | None = None, **fields: object) -> BoardRecommendation:
    values: dict[str, object] = {
        "number": "EE-1",
        "seq": 1,
        "title": title,
        "text": text,
        "counts": Counts(2, 1, 0),
        "objections": (),
        "reservations": (),
        "adopted": True,
    }
    values.update(fields)
    return BoardRecommendation(**values)  # type: ignore[arg-type]


def group(key: str, *recs: BoardRecommendation, **fields: object) -> BoardGroup:
    values: dict[str, object] = {
        "key": key,
        "name": key.title(),
        "code": key[:2].upper(),
        "procedure": Procedure.VOTE,
        "is_open": True,
        "deadline_at": None,
        "deadline_zone": None,
        "recommendations": recs,
    }
    values.update(fields)
    return BoardGroup(**values)  # type: ignore[arg-type]


def test_the_title_when_there_is_one_else_the_first_words():
    assert headline(rec("ignored", title="  Preserve   data ")) == "Preserve data"
    assert headline(rec("  ", title=" ")) == ""
    assert headline(rec("Share data fast")) == "Share data fast"
    words = " ".join(f"w{i}" for i in range(20))
    assert headline(rec(words)) == " ".join(f"w{i}" for i in range(12)) + "…"


@pytest.mark.parametrize(
    "text",
    [
        "หลักฐานอิเล็กทรอนิกส์" * 12,  # Thai: no spaces, marks above and below
        "ការដកហូតទ្រព្យសម្បត្តិ" * 12,  # Khmer: subscript consonants
        "ການສືບສວນທາງການເງິນ" * 12,  # Lao
        "전자증거의국경간보존" * 20,  # Hangul
    ],
)
def test_a_long_text_without_spaces_is_cut_between_characters_never_in_one(text):
    shown = headline(rec(text))
    assert shown.endswith("…") and len(shown) <= HEADLINE_CHARS
    kept = shown.removesuffix("…")
    assert text.startswith(kept)
    assert unicodedata.category(text[len(kept)])[0] != "M"  # what follows is no mark


def test_the_arrows_go_round_the_workshop_and_its_groups():
    state = BoardState((group("a"), group("b"), group("c")))
    overview = view_for(state, None, "/board/T")
    assert overview and (overview.previous, overview.next) == ("/board/T/c", "/board/T/a")
    middle = view_for(state, "b", "/board/T")
    assert middle and (middle.previous, middle.next) == ("/board/T/a", "/board/T/c")
    last = view_for(state, "c", "/board/T")
    assert last and last.next == "/board/T"
    assert view_for(state, "nope", "/board/T") is None


def test_hidden_withdrawn_and_merged_recommendations_read_as_such():
    items = (
        rec("Hidden", number="EE-1", tally_shown=False),
        rec("Gone", number="EE-2", status="withdrawn", adopted=False),
        rec("Joined", number="EE-3", status="merged", merged_into="EE-1", adopted=False),
    )
    state = BoardState((group("e-evidence", *items),))
    view = view_for(state, None, "/b/T")
    assert view is not None
    page = render_page(state, view, title="T & <b>", base="/b/T", etag='"x"')
    hidden = page.split('data-number="EE-1"', 1)[1].split("</li>", 1)[0]
    assert "Tally hidden until voting closes" in hidden and "Support" not in hidden
    assert "Outcome when voting closes" in hidden and "adopted" not in hidden
    assert "adopted so far" not in page  # no count of outcomes while some are withheld
    assert ">Withdrawn<" in page and ">Merged into EE-1<" in page
    assert "T &amp; &lt;b&gt;" in page
