"""The vote buttons: through signed requests against the emulator, and called directly.

What a voter is told: at once for a first click, then one message for a quick series.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

import pytest
from sqlalchemy import select
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session, sessionmaker

from bot.emulator import Emulator
from bot.listeners.votes import vote
from bot.runtime.ballot_box import BallotBox
from bot.slack.values import card_value
from storage import votes
from storage.actors import Actor
from storage.errors import NotFound
from storage.models import Choice, Vote
from storage.sessions import transaction
from tests.factories import linked_group, submitted
from tests.harness import ORGANIZER, Harness, card_text, start_harness

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


def test_votes_are_counted_and_a_repeat_changes_nothing(harness: Harness) -> None:
    harness.link(CHANNEL)
    card = harness.recommend("UDEL1", CHANNEL, "Preserve logs for 180 days")
    for user, choice in [
        ("UV1", "support"),
        ("UV2", "support"),
        ("UV3", "oppose"),
        ("UV4", "abstain"),
    ]:
        assert harness.vote(user, card, choice).status == 200
    harness.vote("UV1", card, "support")  # same again: nothing changes
    harness.vote("UV4", card, "support")  # changed
    harness.settle()
    assert "Support: 3 · Oppose: 1 · Abstain: 0" in card_text(harness.card(card))
    confirmations = harness.ephemerals("UV4")
    assert any("Support" in t and "Abstain" in t for t in confirmations)
    assert any("nothing changed" in t for t in harness.ephemerals("UV1"))


# --- the callback, called directly ------------------------------------------------------

VOTER = Actor("UV1", name="Voter One", request_id="req-1")


class Recorded:
    """Fakes of the vote's collaborators, writing what they are asked into one log."""

    def __init__(self, box: BallotBox | None = None) -> None:
        self.log: list[tuple[Any, ...]] = []
        self.box = box
        self.on_failure: Callable[[str], None] | None = None

    def ack(self, **kwargs: Any) -> None:
        self.log.append(("ack", kwargs))

    # BallotBox
    def cast(self, ballot: votes.Ballot) -> votes.VoteResult:
        self.log.append(("cast", ballot))
        assert self.box is not None, "no vote may be cast"
        return self.box.cast(ballot)

    # Confirmations
    def add(self, channel_id: str | None, user_id: str, result: votes.VoteResult) -> None:
        self.log.append(("confirm", channel_id, user_id, result))

    # CardUpdates
    def refresh(self, recommendation_id: int, *, on_failure: Callable[[str], None]) -> None:
        self.log.append(("refresh", recommendation_id))
        self.on_failure = on_failure

    # Notices
    def ephemeral(self, channel_id: str | None, user_id: str, text: str) -> None:
        self.log.append(("ephemeral", channel_id, user_id, text))

    def click(self, value: object, choice: str = "support", channel: str | None = "CEE") -> None:
        body = {"channel": {"id": channel}} if channel else {}
        action = {"action_id": f"vote_{choice}", "value": value}
        vote(
            ack=self.ack,
            body=body,
            action=action,
            context={"actor": VOTER},  # type: ignore[arg-type]
            ballots=self,  # type: ignore[arg-type]
            confirmations=self,  # type: ignore[arg-type]
            cards=self,  # type: ignore[arg-type]
            notices=self,  # type: ignore[arg-type]
        )

    def taken(self) -> list[tuple[Any, ...]]:
        taken, self.log = self.log, []
        return taken


@pytest.fixture
def rec_id(session_factory: sessionmaker[Session]) -> int:
    with transaction(session_factory) as session:
        linked_group(session)
        return submitted(session).id


def test_a_click_is_acked_first_then_cast_confirmed_and_shown(
    session_factory: sessionmaker[Session], rec_id: int
) -> None:
    fakes = Recorded(BallotBox(session_factory))
    fakes.click(card_value(rec_id), "support")
    ballot = votes.Ballot("UV1", "Voter One", rec_id, Choice.SUPPORT, request_id="req-1")
    first = votes.VoteResult(rec_id, "EE-1", Choice.SUPPORT, previous=None, changed=True)
    assert fakes.taken() == [
        ("ack", {}),
        ("cast", ballot),
        ("confirm", "CEE", "UV1", first),
        ("refresh", rec_id),
    ]

    fakes.click(card_value(rec_id), "support")  # the same again: confirmed, card left alone
    same = votes.VoteResult(rec_id, "EE-1", Choice.SUPPORT, previous=Choice.SUPPORT, changed=False)
    assert fakes.taken() == [("ack", {}), ("cast", ballot), ("confirm", "CEE", "UV1", same)]

    fakes.click(card_value(rec_id), "oppose", channel=None)
    changed = votes.VoteResult(rec_id, "EE-1", Choice.OPPOSE, previous=Choice.SUPPORT, changed=True)
    assert fakes.taken()[2:] == [("confirm", None, "UV1", changed), ("refresh", rec_id)]
    with session_factory() as session:
        stored = session.scalars(select(Vote)).all()
    assert [(v.voter_user_id, v.choice) for v in stored] == [("UV1", Choice.OPPOSE)]


def test_a_card_that_cannot_be_updated_is_explained_to_the_voter(
    session_factory: sessionmaker[Session], rec_id: int
) -> None:
    fakes = Recorded(BallotBox(session_factory))
    fakes.click(card_value(rec_id), "abstain")
    fakes.taken()
    assert fakes.on_failure is not None
    fakes.on_failure("EE-1")  # what CardUpdates does when Slack refuses the update
    assert fakes.taken() == [
        (
            "ephemeral",
            "CEE",
            "UV1",
            ":warning: Your vote on *EE-1* is recorded, but its card could not be updated just "
            "now; the count will show on the next update.",
        )
    ]


@pytest.mark.parametrize(
    "value",
    [
        None,
        7,
        "",
        "7",
        "null",
        "[7]",
        '{"rec": 0}',
        '{"rec": -3}',
        '{"rec": 1.5}',
        '{"rec": 1, "group": "e-evidence"}',
        '{"rec": 1000000000000}',
        '{"rec"',
        "x" * 5000,
    ],
)
def test_a_malformed_button_value_is_refused_after_the_ack_and_nothing_is_cast(
    value: object,
) -> None:
    fakes = Recorded(box=None)
    with pytest.raises(NotFound):
        fakes.click(value)
    assert fakes.taken() == [("ack", {})]
