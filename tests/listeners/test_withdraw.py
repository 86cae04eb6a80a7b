"""`Withdraw` from the card's menu (confirmed first), and `/wg restore EE-3`."""

from __future__ import annotations

from storage.models import Vote
from tests.harness import Harness

from .texts_support import (
    AUTHOR,
    CHANNEL,
    ORGANIZER,
    RAPPORTEUR,
    TEXT,
    audited,
    buttons,
    choose,
    menu_labels,
    shown,
    stored,
    submit,
    view_text,
    workshop,
)


def withdraw(h: Harness, user: str, card: dict, number: str = "EE-1") -> dict:
    view = choose(h, user, card, "Withdraw")
    assert view["title"]["text"] == f"Withdraw {number}?"
    assert view["submit"]["text"] == "Withdraw"
    return submit(h, user, view, {})


def test_the_author_withdraws_after_confirming(harness: Harness):
    card = workshop(harness)
    harness.vote("UV1", card, "support")
    harness.settle()
    assert withdraw(harness, AUTHOR, card) == {}
    message = harness.card(card)
    text = shown(harness, card)
    assert "Withdrawn by name-UDEL1" in text
    assert TEXT in text  # keeps its text
    assert buttons(message) == []  # no vote buttons, no menu options for it
    assert "Edit…" not in menu_labels(harness, card)
    rec = stored(harness)
    assert (rec.status, rec.status_by) == ("withdrawn", AUTHOR)
    assert audited(harness, "withdraw") == [("withdraw", "EE-1")]
    status = harness.wg("UV1", CHANNEL, "status")
    assert "0 recommendations, 1 withdrawn, 0 votes" in status


def test_the_rapporteur_and_an_organizer_may_withdraw_others_may_not(harness: Harness):
    card = workshop(harness)
    second = harness.recommend("UDEL2", CHANNEL, "Train judges in e-evidence")
    view = choose(harness, "USOMEONE", card, "Withdraw")
    refusal = "Only the author of *EE-1*, the rapporteur of Electronic evidence or an organizer"
    assert refusal in view_text(view)
    assert view.get("submit") is None
    assert refusal in harness.ephemerals("USOMEONE")[-1]
    assert withdraw(harness, RAPPORTEUR, card) == {}
    assert withdraw(harness, ORGANIZER, second, "EE-2") == {}
    assert "Withdrawn by User URAPP1" in shown(harness, card)  # the emulator's profile name
    assert "Withdrawn by " in shown(harness, second)
    assert stored(harness, 2).status_by == ORGANIZER


def test_not_twice_and_not_while_closed(harness: Harness):
    card = workshop(harness)
    view = choose(harness, AUTHOR, card, "Withdraw")
    again = choose(harness, AUTHOR, card, "Withdraw")
    assert submit(harness, AUTHOR, view, {}) == {}
    answer = submit(harness, AUTHOR, again, {})
    assert answer["response_action"] == "update"
    assert "*EE-1* was withdrawn by name-UDEL1" in view_text(answer["view"])
    assert audited(harness, "withdraw") == [("withdraw", "EE-1")]

    other = harness.recommend("UDEL2", CHANNEL, "Train judges in e-evidence")
    harness.wg(RAPPORTEUR, CHANNEL, "close")
    refused = choose(harness, "UDEL2", other, "Withdraw")
    assert "Voting is closed in Electronic evidence" in view_text(refused)
    assert stored(harness, 2).status == "open"


def test_an_organizer_restores_it_anywhere_and_others_are_refused(harness: Harness):
    card = workshop(harness)
    harness.vote("UV1", card, "support")
    withdraw(harness, AUTHOR, card)
    assert "Only an organizer can use `/wg restore`" in harness.wg(
        RAPPORTEUR, CHANNEL, "restore EE-1"
    )
    assert "There is no recommendation `EE-9`" in harness.wg(
        ORGANIZER, "CELSEWHERE", "restore EE-9"
    )
    assert "Usage: `/wg restore EE-3`" in harness.wg(ORGANIZER, CHANNEL, "restore")
    assert "*EE-1* is open again" in harness.wg(ORGANIZER, "CELSEWHERE", "restore ee-1")
    harness.settle()
    assert "Withdrawn" not in shown(harness, card)
    assert "vote_support" in buttons(harness.card(card))
    assert stored(harness).status == "open"
    assert "nothing to restore" in harness.wg(ORGANIZER, CHANNEL, "restore EE-1")
    assert audited(harness, "restore") == [("restore", "EE-1")]
    assert "1 recommendation, 1 vote" in harness.wg("UV1", CHANNEL, "status")


def test_a_vote_left_on_a_withdrawn_card_is_refused_and_not_stored(harness: Harness):
    card = workshop(harness)  # the card as first posted, its buttons still in someone's view
    harness.vote("UV1", card, "support")
    harness.settle()
    assert withdraw(harness, AUTHOR, card) == {}
    harness.settle()
    assert harness.vote("UV2", card, "oppose").status == 200  # a click on the stale card
    harness.settle()
    refusal = harness.ephemerals("UV2")[-1]
    assert "EE-1" in refusal and "withdrawn" in refusal.lower()
    with harness.app.session_factory() as session:
        voters = {v.voter_user_id for v in session.query(Vote).filter_by(recommendation_id=1)}
    assert voters == {"UV1"}
