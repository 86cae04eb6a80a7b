"""`Edit…` from the card's menu: the author's form, new versions, notices to earlier voters."""

from __future__ import annotations

from sqlalchemy import select

from storage.models import Revision
from storage.sessions import transaction
from tests.harness import Harness

from .texts_support import (
    AUTHOR,
    CHANNEL,
    RAPPORTEUR,
    TEXT,
    audited,
    choose,
    seat,
    shown,
    stored,
    submit,
    text_values,
    view_text,
    workshop,
)

NEW = "Preserve traffic logs for 365 days <!channel> & more."


def field(view: dict, block_id: str) -> dict:
    return next(b for b in view["blocks"] if b.get("block_id") == block_id)["element"]


def test_the_author_edits_and_earlier_voters_are_told(harness: Harness):
    card = workshop(harness, title="Logs", rationale="Why")
    harness.vote("UV1", card, "support")
    harness.vote("UV2", card, "oppose")
    harness.settle()
    view = choose(harness, AUTHOR, card, "Edit…")
    assert view["callback_id"] == "edit_modal"
    assert field(view, "text_block")["initial_value"] == TEXT
    assert field(view, "text_block")["max_length"] == 3000
    assert field(view, "title_block")["initial_value"] == "Logs"
    assert field(view, "rationale_block")["initial_value"] == "Why"
    assert not any(b.get("block_id") == "group_block" for b in view["blocks"])

    assert submit(harness, AUTHOR, view, text_values(NEW, "Logs", "Why")) == {}
    harness.settle()
    text = shown(harness, card)
    assert "Edited · v2" in text
    assert "365 days &lt;!channel&gt; &amp; more." in text
    assert "<!channel>" not in text
    assert harness.ephemerals("UV1")[-1] == (
        "EE-1 was edited after you voted Support. Your vote stands; "
        "change it on the card if you wish."
    )
    assert harness.ephemerals("UV2")[-1] == (
        "EE-1 was edited after you voted Oppose. Your vote stands; "
        "change it on the card if you wish."
    )
    assert "Support: 1 · Oppose: 1" in text  # votes stand
    assert "now v2" in harness.ephemerals(AUTHOR)[-1]
    rec = stored(harness)
    assert (rec.text, rec.version, rec.title, rec.rationale) == (NEW, 2, "Logs", "Why")
    with transaction(harness.app.session_factory) as session:
        versions = session.execute(
            select(Revision.version, Revision.text, Revision.cause).order_by(Revision.version)
        ).all()
    assert [tuple(v) for v in versions] == [(1, TEXT, "submitted"), (2, NEW, "edit")]
    assert audited(harness, "edit") == [("edit", "EE-1")]


def test_an_edit_that_changes_nothing_changes_nothing(harness: Harness):
    card = workshop(harness)
    harness.vote("UV1", card, "support")
    harness.settle()
    before = len(harness.ephemerals("UV1"))
    view = choose(harness, AUTHOR, card, "Edit…")
    assert submit(harness, AUTHOR, view, text_values(TEXT)) == {}
    assert "Edited" not in shown(harness, card)
    assert len(harness.ephemerals("UV1")) == before
    assert "Nothing changed in *EE-1*" in harness.ephemerals(AUTHOR)[-1]
    assert stored(harness).version == 1
    assert audited(harness, "edit") == []


def test_others_are_refused_privately_with_the_reason(harness: Harness):
    card = workshop(harness)
    for user in (RAPPORTEUR, "UORG1", "USOMEONE"):
        view = choose(harness, user, card, "Edit…")
        assert "Only the author of *EE-1* can edit it" in view_text(view)
        assert view.get("submit") is None
        assert "Only the author of *EE-1* can edit it" in harness.ephemerals(user)[-1]
    # A form opened by the author and submitted by someone else is refused too.
    view = choose(harness, AUTHOR, card, "Edit…")
    answer = submit(harness, "USOMEONE", view, text_values(NEW))
    assert "Only the author" in answer["errors"]["text_block"]
    assert stored(harness).text == TEXT


def test_refused_while_the_group_is_closed(harness: Harness):
    card = workshop(harness)
    view = choose(harness, AUTHOR, card, "Edit…")
    harness.wg(RAPPORTEUR, CHANNEL, "close")
    answer = submit(harness, AUTHOR, view, text_values(NEW))
    assert "Voting is closed in Electronic evidence" in answer["errors"]["text_block"]
    refused = choose(harness, AUTHOR, card, "Edit…")
    assert "Voting is closed in Electronic evidence" in view_text(refused)
    assert stored(harness).text == TEXT


def test_same_limits_and_errors_as_the_submission_form(harness: Harness):
    card = workshop(harness)
    view = choose(harness, AUTHOR, card, "Edit…")
    answer = submit(harness, AUTHOR, view, text_values("x" * 3001, "t" * 151))
    assert answer["response_action"] == "errors"
    assert "at most 3000 characters; yours has 3001" in answer["errors"]["text_block"]
    assert "at most 150 characters" in answer["errors"]["title_block"]
    answer = submit(harness, AUTHOR, view, text_values("   "))
    assert "is required" in answer["errors"]["text_block"]
    assert stored(harness).version == 1


def test_a_form_opened_on_an_older_version_is_refused(harness: Harness):
    card = workshop(harness)
    first = choose(harness, AUTHOR, card, "Edit…")
    second = choose(harness, AUTHOR, card, "Edit…")
    assert submit(harness, AUTHOR, second, text_values(NEW)) == {}
    answer = submit(harness, AUTHOR, first, text_values("Something else entirely"))
    assert "it is now v2" in answer["errors"]["text_block"]
    assert stored(harness).text == NEW


def test_in_a_delegation_group_each_delegation_s_latest_voter_is_told(harness: Harness):
    card = workshop(harness)
    harness.wg(RAPPORTEUR, CHANNEL, "procedure delegation")
    for user, code in (("UTH1", "TH"), ("UTH2", "TH"), ("UVN1", "VN")):
        seat(harness, user, code)
    harness.settle()
    card["message"] = harness.card(card)
    harness.vote("UTH1", card, "support")
    harness.vote("UTH2", card, "oppose")  # Thailand's ballot is now UTH2's
    harness.vote("UVN1", card, "abstain")
    harness.settle()
    counts = {user: len(harness.ephemerals(user)) for user in ("UTH1", "UTH2", "UVN1")}
    view = choose(harness, AUTHOR, card, "Edit…")
    assert submit(harness, AUTHOR, view, text_values(NEW)) == {}
    harness.settle()
    assert len(harness.ephemerals("UTH1")) == counts["UTH1"]  # not Thailand's ballot
    assert harness.ephemerals("UTH2")[-1].startswith("EE-1 was edited after you voted Oppose.")
    assert harness.ephemerals("UVN1")[-1].startswith("EE-1 was edited after you voted Abstain.")
