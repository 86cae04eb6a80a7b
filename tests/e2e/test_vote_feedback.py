"""What a voter is told: at once for a first click, then one message for a quick series."""

from __future__ import annotations

import time

from sqlalchemy.exc import OperationalError

from bot.emulator import Emulator
from storage import votes
from tests.e2e.harness import ORGANIZER, card_text, start_harness

CHANNEL = "CFEED"
INTERVAL = 1.5


def test_quick_clicks_are_confirmed_together_and_nothing_is_lost(
    emulator: Emulator, database_url: str
) -> None:
    emulator.reset()
    h = start_harness(emulator, database_url, vote_confirmation_interval=INTERVAL)
    try:
        h.wg(ORGANIZER, CHANNEL, "link e-evidence")
        first = h.recommend("UDEL1", CHANNEL, "Preserve logs for 180 days")
        second = h.recommend("UDEL2", CHANNEL, "Designate 24/7 contact points")
        numbers = ["EE-1", "EE-2"]
        before = len(h.ephemerals("UVOTER"))

        started = time.monotonic()
        assert h.vote("UVOTER", first, "support").status == 200
        emulator.wait_for("chat.postEphemeral", count=before + 1, predicate=_to_voter)
        assert time.monotonic() - started < INTERVAL  # the first click is confirmed at once
        told = h.ephemerals("UVOTER")[before:]
        assert told == [
            f":ballot_box_with_ballot: Your vote on *{numbers[0]}* is recorded: *Support*."
        ]

        # Three more clicks within the interval: one message, after it, covering them all.
        assert h.vote("UVOTER", second, "oppose").status == 200
        assert h.vote("UVOTER", first, "abstain").status == 200
        assert h.vote("UVOTER", second, "oppose").status == 200
        assert len(h.ephemerals("UVOTER")) == before + 1
        h.settle()
        told = h.ephemerals("UVOTER")[before:]
        assert len(told) == 2, told
        assert told[1] == (
            f":ballot_box_with_ballot: Your votes are recorded: *{numbers[1]}* *Oppose*; "
            f"*{numbers[0]}* *Abstain* (was Support)."
        )
        assert "Abstain: 1" in card_text(h.card(first)) and "Oppose: 1" in card_text(h.card(second))
    finally:
        h.close()


def _to_voter(call: dict) -> bool:
    return call["params"].get("user") == "UVOTER"


def test_a_vote_whose_transaction_fails_is_answered_and_can_be_cast_again(
    emulator: Emulator, database_url: str, monkeypatch
) -> None:
    emulator.reset()
    h = start_harness(emulator, database_url)
    try:
        h.wg(ORGANIZER, CHANNEL, "link e-evidence")
        card = h.recommend("UDEL1", CHANNEL, "Preserve logs for 180 days")
        real = votes.cast_many

        def database_gone(session, ballots):
            raise OperationalError("INSERT", {}, Exception("server closed the connection"))

        monkeypatch.setattr(votes, "cast_many", database_gone)
        response = h.vote("UVOTER", card, "support")
        assert response.status == 200  # Slack gets its acknowledgement regardless
        h.settle()
        told = h.ephemerals("UVOTER")
        assert told and "nothing was changed" in told[-1]
        assert "Support: 0" in card_text(h.card(card))

        monkeypatch.setattr(votes, "cast_many", real)
        assert h.vote("UVOTER", card, "support").status == 200
        h.settle()
        assert "is recorded: *Support*" in h.ephemerals("UVOTER")[-1]
        assert "Support: 1" in card_text(h.card(card))
    finally:
        h.close()


def test_a_voter_slack_will_not_show_an_ephemeral_to_gets_a_direct_message(harness) -> None:
    harness.wg(ORGANIZER, CHANNEL, "link e-evidence")
    card = harness.recommend("UDEL1", CHANNEL, "Preserve logs for 180 days")
    harness.emulator.fail("chat.postEphemeral", error="user_not_in_channel")
    assert harness.vote("UVOTER", card, "oppose").status == 200
    harness.settle()
    direct = [
        c["params"]["text"]
        for c in harness.emulator.calls("chat.postMessage")
        if c["params"]["channel"] == "UVOTER"
    ]
    assert len(direct) == 1 and "EE-1" in direct[0] and "Oppose" in direct[0], direct
