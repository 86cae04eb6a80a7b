"""What a voter is told about their clicks: one card, several cards, a changed vote."""

from __future__ import annotations

from bot.ui.confirmation import confirmation
from storage.models import Choice
from storage.votes import VoteResult

SUPPORT, OPPOSE, ABSTAIN = Choice.SUPPORT, Choice.OPPOSE, Choice.ABSTAIN


def result(
    number: str, choice: Choice, previous: Choice | None = None, changed: bool = True
) -> VoteResult:
    rec_id = int(number.split("-")[1])
    return VoteResult(rec_id, number, choice, previous=previous, changed=changed)


def test_a_first_vote_on_one_card():
    assert confirmation([result("EE-1", SUPPORT)]) == (
        ":ballot_box_with_ballot: Your vote on *EE-1* is recorded: *Support*."
    )


def test_a_changed_vote_names_the_previous_choice():
    assert confirmation([result("EE-1", OPPOSE, previous=SUPPORT)]) == (
        ":ballot_box_with_ballot: Your vote on *EE-1* is recorded: *Oppose* (was Support)."
    )


def test_the_same_vote_again_changes_nothing():
    assert confirmation([result("EE-1", ABSTAIN, previous=ABSTAIN, changed=False)]) == (
        "Your vote on *EE-1* is already *Abstain*; nothing changed."
    )


def test_clicks_on_one_card_are_told_as_one_the_last_choice_against_the_first_previous():
    clicks = [
        result("EE-1", OPPOSE, previous=SUPPORT),
        result("EE-1", ABSTAIN, previous=OPPOSE),
    ]
    assert confirmation(clicks) == (
        ":ballot_box_with_ballot: Your vote on *EE-1* is recorded: *Abstain* (was Support)."
    )


def test_back_to_where_it_started_names_no_previous_choice():
    clicks = [result("EE-1", OPPOSE, previous=SUPPORT), result("EE-1", SUPPORT, previous=OPPOSE)]
    assert confirmation(clicks) == (
        ":ballot_box_with_ballot: Your vote on *EE-1* is recorded: *Support*."
    )


def test_several_cards_are_told_in_one_message_card_by_card_in_click_order():
    clicks = [
        result("EE-2", OPPOSE),
        result("EE-1", SUPPORT),
        result("EE-1", ABSTAIN, previous=SUPPORT),
        result("FI-3", SUPPORT, previous=SUPPORT, changed=False),
        result("EE-2", OPPOSE, previous=OPPOSE, changed=False),
    ]
    assert confirmation(clicks) == (
        ":ballot_box_with_ballot: Your votes are recorded: *EE-2* *Oppose*; "
        "*EE-1* *Abstain*; *FI-3* already *Support*, nothing changed."
    )


def test_a_changed_vote_among_several_cards_names_its_previous_choice():
    clicks = [result("EE-1", OPPOSE, previous=SUPPORT), result("VP-4", ABSTAIN)]
    assert confirmation(clicks) == (
        ":ballot_box_with_ballot: Your votes are recorded: *EE-1* *Oppose* (was Support); "
        "*VP-4* *Abstain*."
    )
