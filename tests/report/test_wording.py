"""The document's wording (bot.report.wording), and the tally wording it shares with the card."""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace

import pytest
from jinja2 import Environment, StrictUndefined, UndefinedError

import templates.shared
from bot.report.wording import TEXTS_FILE, Texts
from bot.slack.ids import Block
from bot.ui import render
from bot.ui.card import card_blocks, tally_text
from storage.cards import CardState
from storage.records import WorkshopRecord
from storage.rules import Counts
from templates.shared import shared_loader


def _shared_tally(counts: object) -> str:
    """The tally as the shared definition alone renders it, in neither side's environment."""
    env = Environment(loader=shared_loader(), undefined=StrictUndefined)
    return str(env.get_template("shared/wording.j2").module.tally(counts)).strip()


def _card(counts: Counts) -> CardState:
    return CardState(
        recommendation_id=7,
        number="EE-3",
        title="Preservation of electronic evidence",
        text="States should preserve electronic evidence promptly.",
        rationale=None,
        author_user_id="U0003",
        author_name="Delegate 3",
        country_code="TH",
        country_name="Thailand",
        group_key="e-evidence",
        group_name="Electronic evidence",
        is_open=True,
        counts=counts,
        version=1,
        channel_id="C1",
        message_ts="1.0",
    )


@pytest.fixture
def shared_wording(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    """Swap the shared wording for a test's own; both environments are rebuilt around it."""

    def use(text: str) -> None:
        (tmp_path / "wording.j2").write_text(text, encoding="utf-8")
        monkeypatch.setattr(templates.shared, "SHARED_DIR", tmp_path)
        render.environment.cache_clear()

    yield use
    monkeypatch.undo()
    render.environment.cache_clear()


def test_card_and_document_show_the_one_shared_tally(compile_report, multiscript_record):
    counts = Counts(3, 1, 0)
    phrase = _shared_tally(counts)
    assert phrase == "Support: 3 · Oppose: 1 · Abstain: 0"

    tally_block = next(b for b in card_blocks(_card(counts)) if b.get("block_id") == Block.TALLY)
    assert tally_text(_card(counts)) == phrase
    assert tally_block["text"]["text"] == f"*{phrase}*"
    assert Texts()("votes", counts=counts) == phrase

    rec: WorkshopRecord = multiscript_record
    first = rec.groups[0].recommendations[0]
    paragraphs = compile_report(rec).paragraph_texts()
    assert any(f"Votes: {_shared_tally(first.counts)}\n" in p for p in paragraphs)


def test_a_change_to_the_shared_wording_shows_on_card_and_document(shared_wording):
    shared_wording(
        "{%- macro tally(counts) -%}"
        "For {{ counts.support }}, against {{ counts.oppose }}, abstaining {{ counts.abstain }}"
        "{%- endmacro %}"
    )
    counts = Counts(5, 2, 1)

    assert tally_text(_card(counts)) == "For 5, against 2, abstaining 1"
    assert Texts()("votes", counts=counts) == "For 5, against 2, abstaining 1"


def test_tally_values_are_escaped_once_on_the_card_and_kept_verbatim_in_the_document():
    counts = SimpleNamespace(support="<!channel>", oppose="a&b", abstain=2)

    assert render.render("card/tally.j2", counts=counts) == (
        "Support: &lt;!channel&gt; · Oppose: a&amp;b · Abstain: 2"
    )
    assert Texts()("votes", counts=counts) == "Support: <!channel> · Oppose: a&b · Abstain: 2"


def test_paragraphs_split_a_macro_at_blank_lines():
    parts = Texts().paragraphs(
        "introduction",
        title="Regional Workshop",
        venue="Bangkok",
        dates="12–14 March 2025",
        organizers="UNODC",
        groups=["Electronic evidence", "Victim protection"],
        scope_group=None,
    )

    assert len(parts) == 2
    assert parts[0].startswith("The Regional Workshop was held on 12–14 March 2025 in Bangkok.")
    assert parts[1].startswith("Delegations met in 2 thematic working groups:")


def test_a_missing_value_is_an_error_not_an_empty_text():
    with pytest.raises(UndefinedError):
        Texts()("votes")


def test_an_organizers_wording_directory_can_use_the_shared_wording(tmp_path: Path):
    (tmp_path / TEXTS_FILE).write_text(
        '{% from "shared/wording.j2" import tally %}'
        "{%- macro votes(counts) -%}Votes cast — {{ tally(counts) }}{%- endmacro %}",
        encoding="utf-8",
    )

    text = Texts(tmp_path)("votes", counts=Counts(1, 2, 3))

    assert text == "Votes cast — Support: 1 · Oppose: 2 · Abstain: 3"
