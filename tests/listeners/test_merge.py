"""Merging: `Merge into…` from the card's menu and `/wg merge EE-5 into EE-2`."""

from __future__ import annotations

from tests.harness import Harness

from .texts_support import (
    AUTHOR,
    CHANNEL,
    ORGANIZER,
    RAPPORTEUR,
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

OTHER_CHANNEL = "CFININV"


def target_values(option: dict | None) -> dict:
    return {
        "merge_target_block": {"merge_target": {"type": "static_select", "selected_option": option}}
    }


def options(view: dict) -> list[dict]:
    block = next(b for b in view["blocks"] if b.get("block_id") == "merge_target_block")
    return block["element"]["options"]


def test_the_rapporteur_merges_from_the_card(harness: Harness):
    first = workshop(harness)
    second = harness.recommend("UDEL2", CHANNEL, "Keep traffic logs for half a year")
    third = harness.recommend("UDEL3", CHANNEL, "Train judges")
    harness.vote("UV1", second, "support")
    harness.vote("UV2", second, "abstain")
    harness.settle()
    view = choose(harness, RAPPORTEUR, second, "Merge into…")
    offered = options(view)
    # The group's open ones, not itself.
    assert [o["text"]["text"] for o in offered] == [
        "EE-1 Preserve traffic logs for 180 days.",
        "EE-3 Train judges",
    ]
    chosen = offered[0]
    assert submit(harness, RAPPORTEUR, view, target_values(chosen)) == {}
    harness.settle()
    merged = harness.card(second)
    assert "Merged into EE-1" in shown(harness, second)
    assert buttons(merged) == []
    assert menu_labels(harness, second) == ["Enter a reservation…"]
    assert "Also covers EE-2" in shown(harness, first)
    assert "Also covers" not in shown(harness, third)
    assert harness.ephemerals("UV1")[-1] == (
        "EE-2 was merged into EE-1 after you voted Support: your vote on EE-2 no longer counts. "
        "Vote on EE-1's card if you wish."
    )
    assert harness.ephemerals("UV2")[-1].startswith(
        "EE-2 was merged into EE-1 after you voted Abstain"
    )
    assert (
        "*EE-2* is merged into *EE-1*. 2 people who had voted" in harness.ephemerals(RAPPORTEUR)[-1]
    )
    assert (stored(harness, 2).status, stored(harness, 2).merged_into_id) == (
        "merged",
        stored(harness, 1).id,
    )
    assert audited(harness, "merge") == [("merge", "EE-2")]
    assert "2 recommendations, 1 merged, 0 votes" in harness.wg("UV1", CHANNEL, "status")


def test_only_the_rapporteur_or_an_organizer_and_not_while_closed(harness: Harness):
    first = workshop(harness)
    harness.recommend("UDEL2", CHANNEL, "Keep traffic logs for half a year")
    for user in (AUTHOR, "USOMEONE"):
        view = choose(harness, user, first, "Merge into…")
        refusal = "Only the rapporteur of Electronic evidence or an organizer can use `Merge into…`"
        assert refusal in view_text(view)
        assert refusal in harness.ephemerals(user)[-1]
    assert "can use `/wg merge`" in harness.wg(AUTHOR, CHANNEL, "merge EE-2 into EE-1")
    harness.wg(RAPPORTEUR, CHANNEL, "close")
    assert "Voting is closed in Electronic evidence" in harness.wg(
        ORGANIZER, CHANNEL, "merge EE-2 into EE-1"
    )
    refused = choose(harness, RAPPORTEUR, first, "Merge into…")
    assert "Voting is closed" in view_text(refused)
    assert stored(harness, 2).status == "open"


def test_the_command_and_its_rules(harness: Harness):
    first = workshop(harness)
    second = harness.recommend("UDEL2", CHANNEL, "Keep traffic logs for half a year")
    harness.recommend("UDEL3", CHANNEL, "Train judges")
    harness.link(OTHER_CHANNEL, "financial-investigation")
    harness.recommend("UDEL4", OTHER_CHANNEL, "Trace crypto assets")
    wg = lambda text, channel=CHANNEL: harness.wg(RAPPORTEUR, channel, text)  # noqa: E731
    assert "Usage: `/wg merge EE-5 into EE-2`" in wg("merge EE-2 EE-1")
    assert "cannot be merged into itself" in wg("merge EE-2 into ee-2")
    assert "There is no recommendation `EE-9`" in wg("merge EE-9 into EE-1")
    assert "*FI-1* is not in Electronic evidence" in wg("merge FI-1 into EE-1")
    assert "*FI-1* is not in Electronic evidence" in wg("merge EE-2 into FI-1")
    assert "Only the rapporteur of Financial investigation" in wg(
        "merge FI-1 into EE-1", OTHER_CHANNEL
    )
    assert "*EE-2* is merged into *EE-1*" in wg("merge EE-2 into EE-1")
    harness.settle()
    assert "Merged into EE-1" in shown(harness, second)
    assert "was merged into *EE-1*" in wg("merge EE-2 into EE-3")
    assert "was itself merged into another recommendation" in wg("merge EE-3 into EE-2")
    view = choose(harness, AUTHOR, first, "Withdraw")
    submit(harness, AUTHOR, view, {})
    assert "*EE-1* was withdrawn: *EE-3* cannot be merged into it" in wg("merge EE-3 into EE-1")
    # Merging what covers others moves them along.
    assert "*EE-1* is open again" in harness.wg(ORGANIZER, CHANNEL, "restore EE-1")
    assert "is merged" in wg("merge EE-1 into EE-3")
    harness.settle()
    assert "Merged into EE-3" in shown(harness, second)
    assert audited(harness, "merge") == [("merge", "EE-2"), ("merge", "EE-1")]
