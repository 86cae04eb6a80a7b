"""bot.ui.amendment and bot.ui.text_forms: what Slack is sent fits its limits, for the
longest texts in any script."""

from __future__ import annotations

import pytest

from bot.emulator.blocks import validate_blocks, validate_view
from bot.ui.amendment import accept_modal, amend_modal, reject_modal, thread_message
from bot.ui.text_forms import edit_modal, merge_modal, withdraw_modal
from storage.amendment_views import AmendmentView
from storage.amendments import AmendForm, Pending
from storage.merges import MergeForm, Target
from storage.models import AmendmentState
from storage.revisions import EditForm

LONG = {"amp": "& " * 1500, "khmer": "ក" * 3000, "words": "word " * 600}


def view(state: AmendmentState = AmendmentState.PROPOSED, base: str = "a", text: str = "b"):
    return AmendmentView(
        amendment_id=7,
        number="EE-3/A1",
        recommendation_number="EE-3",
        base_version=1,
        base_text=base,
        text=text,
        reason="Because <b> & more",
        proposer_id="UTH1",
        proposer_name="Somchai",
        delegation_name="Thailand",
        state=state,
        decided_by_name="Rita",
        reject_reason="No",
        channel_id="CEE",
        card_ts="1.2",
        thread_ts="1.3",
    )


@pytest.mark.parametrize("kind", sorted(LONG))
def test_the_thread_message_fits_for_the_longest_texts(kind):
    text, blocks = thread_message(view(base=LONG[kind], text="x " + LONG[kind][::-1]))
    assert validate_blocks(blocks) == []
    assert text == "Amendment EE-3/A1 to EE-3, proposed by Somchai"
    modal = accept_modal(Pending(view(text=LONG[kind]), True, LONG[kind][::-1], 2), channel_id="C")
    assert validate_view(modal, kind="modal") == ([], [])


@pytest.mark.parametrize("state", list(AmendmentState))
def test_the_decision_replaces_the_buttons(state):
    _, blocks = thread_message(view(state), version=2, because="merged")
    has_buttons = any(b["type"] == "actions" for b in blocks)
    assert has_buttons is (state is AmendmentState.PROPOSED)
    assert validate_blocks(blocks) == []


def test_the_forms_are_valid_views():
    forms = [
        amend_modal(AmendForm(3, "EE-3", LONG["khmer"], 2), channel_id="CEE"),
        reject_modal(view(), channel_id=None),
        edit_modal(EditForm(3, "EE-3", "t" * 150, LONG["amp"], "r" * 3000, 1), channel_id="C"),
        withdraw_modal(3, "EE-3", channel_id="CEE"),
        merge_modal(
            MergeForm(
                3, "EE-3", tuple(Target(n, f"EE-{n}", None, LONG["words"]) for n in range(150))
            ),
            channel_id="CEE",
        ),
    ]
    for form in forms:
        assert validate_view(form, kind="modal") == ([], []), form["callback_id"]
