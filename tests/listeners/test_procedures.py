"""Decision procedures through signed requests against the emulator: `/wg procedure`, each
procedure's card, the vote path's refusals and confirmations, switching with votes in place."""

from __future__ import annotations

import threading
from typing import Any

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from bot.emulator import Emulator
from bot.settings import SettingsError, load_settings
from storage.models import Role, Vote
from tests.factories.seats import seat_all
from tests.harness import ORGANIZER, Harness, card_text, start_harness

CHANNEL = "CPROC"
RAPPORTEUR = "URAPP1"
DELEGATE, OBSERVER = Role.DELEGATE, Role.OBSERVER
SEATS = {
    "UTH1": ("TH", DELEGATE, "Somchai Prasert"),
    "UTH2": ("TH", DELEGATE, "Malee Srisuk"),
    "UVN1": ("VN", DELEGATE, "Nguyễn Thị Lan"),
    "UKH1": ("KH", DELEGATE, "Sok Dara"),
    "ULA1": ("LA", DELEGATE, "Khamphone Vongsa"),
    "UOBS": ("UNODC", OBSERVER, "Observer Olsen"),
}


@pytest.fixture
def card(harness: Harness, session_factory: sessionmaker[Session]) -> dict[str, Any]:
    """A linked group with a rapporteur, the seated participants, and one posted card."""
    harness.link(CHANNEL, rapporteur=RAPPORTEUR)
    seat_all(session_factory, SEATS)
    return harness.recommend("UTH1", CHANNEL, "Preserve subscriber data for 180 days.")


def _procedure(harness: Harness, name: str, user: str = RAPPORTEUR) -> str:
    reply = harness.wg(user, CHANNEL, f"procedure {name}")
    harness.settle()
    return reply


def _shown(harness: Harness, card: dict[str, Any]) -> str:
    harness.settle()
    return card_text(harness.card(card))


def _buttons(harness: Harness, card: dict[str, Any]) -> list[str]:
    message = harness.card(card)
    return [
        e["action_id"] for b in message["blocks"] if b["type"] == "actions" for e in b["elements"]
    ]


def _click(harness: Harness, user: str, card: dict[str, Any], choice: str) -> None:
    assert harness.vote(user, card, choice).status == 200
    harness.settle()


def test_procedure_command_sets_it_refuses_others_and_status_shows_it(
    harness: Harness, card: dict[str, Any]
) -> None:
    assert "Usage: `/wg procedure vote`" in harness.wg(RAPPORTEUR, CHANNEL, "procedure")
    assert "decides by vote" in harness.wg(RAPPORTEUR, CHANNEL, "procedure ballots")
    refused = harness.wg("UTH1", CHANNEL, "procedure delegation")
    assert "Only the rapporteur of Electronic evidence or an organizer" in refused
    assert "not linked" in harness.wg(ORGANIZER, "COTHER", "procedure delegation")

    reply = _procedure(harness, "delegation")
    assert "*Electronic evidence* now decides by delegation" in reply
    assert "already decides by delegation" in _procedure(harness, "delegation")
    assert "now decides by consensus" in _procedure(harness, "CONSENSUS", user=ORGANIZER)

    status = harness.wg("UVN1", CHANNEL, "status")
    line = next(x for x in status.splitlines() if "Electronic evidence" in x)
    assert "decides by consensus" in line
    other = next(x for x in status.splitlines() if "Asset confiscation" in x)
    assert "decides by vote" in other
    assert "/wg procedure vote|delegation|consensus" in harness.wg("UVN1", CHANNEL, "help")


def test_vote_card_is_unchanged_and_observers_never_count(
    harness: Harness, card: dict[str, Any]
) -> None:
    _click(harness, "UTH1", card, "support")
    _click(harness, "UNOLIST", card, "oppose")  # no confirmed delegation: votes as today
    _click(harness, "UOBS", card, "support")
    shown = _shown(harness, card)
    assert "Support: 1 · Oppose: 1 · Abstain: 0" in shown and "(delegations)" not in shown
    assert _buttons(harness, card) == ["vote_support", "vote_oppose", "vote_abstain"]
    told = harness.ephemerals("UOBS")[-1]
    assert "Observers never count towards any tally" in told and "UNODC" in told


def test_delegation_card_counts_and_names_delegations(
    harness: Harness, card: dict[str, Any]
) -> None:
    assert "now decides by delegation" in _procedure(harness, "delegation")
    for user, choice in [
        ("UTH1", "oppose"),
        ("UVN1", "support"),
        ("UKH1", "support"),
        ("ULA1", "abstain"),
        ("UTH2", "support"),  # Thailand's other delegate: the latest click counts
    ]:
        _click(harness, user, card, choice)
    shown = _shown(harness, card)
    assert "Support: 3 · Oppose: 0 · Abstain: 1 (delegations)" in shown
    assert "Support: KH, TH, VN" in shown and "Oppose: —" in shown and "Abstain: LA" in shown
    assert "one ballot per delegation" in shown
    assert harness.ephemerals("UTH2")[-1] == (
        ":ballot_box_with_ballot: Your vote for Thailand on EE-1 is recorded: Support "
        "(replacing Oppose, cast by Somchai Prasert)."
    )
    _click(harness, "UTH2", card, "support")
    assert (
        "The vote of Thailand on EE-1 is already Support; nothing changed."
        in (harness.ephemerals("UTH2")[-1])
    )


def test_delegation_group_refuses_the_unlisted_and_observers_privately(
    harness: Harness, card: dict[str, Any]
) -> None:
    _procedure(harness, "delegation")
    _click(harness, "UNOLIST", card, "support")
    _click(harness, "UOBS", card, "support")
    unlisted = harness.ephemerals("UNOLIST")[-1]
    assert "one ballot per delegation" in unlisted and "not on the participant list" in unlisted
    assert "`/wg seat @you CODE`" in unlisted and "Nothing was changed" in unlisted
    assert "Observers never count towards any tally" in harness.ephemerals("UOBS")[-1]
    assert "Support: 0 · Oppose: 0 · Abstain: 0 (delegations)" in _shown(harness, card)


def test_consensus_card_explains_and_offers_object_and_withdraw(
    harness: Harness, card: dict[str, Any]
) -> None:
    _click(harness, "UVN1", card, "support")
    _procedure(harness, "consensus")
    shown = _shown(harness, card)
    assert "adopted unless a delegation objects" in shown and "No objection" in shown
    assert "Support:" not in shown
    assert _buttons(harness, card) == ["object", "withdraw_objection"]
    labels = [
        e["text"]["text"]
        for b in harness.card(card)["blocks"]
        if b["type"] == "actions"
        for e in b["elements"]
    ]
    assert labels == ["Object…", "Withdraw objection"]
    # A click on a stale card's vote button: refused, and says why.
    _click(harness, "UVN1", card, "oppose")
    assert "decides by consensus" in harness.ephemerals("UVN1")[-1]


def test_switching_back_and_forth_loses_nothing(
    harness: Harness, card: dict[str, Any], session_factory: sessionmaker[Session]
) -> None:
    for user, choice in [
        ("UTH1", "support"),
        ("UTH2", "oppose"),
        ("UVN1", "support"),
        ("UNOLIST", "abstain"),
    ]:
        _click(harness, user, card, choice)
    by_vote = "Support: 2 · Oppose: 1 · Abstain: 1"
    assert by_vote in _shown(harness, card)
    _procedure(harness, "delegation")
    # Thailand's latest click (Oppose) is its ballot; the unlisted voter's does not count.
    assert "Support: 1 · Oppose: 1 · Abstain: 0 (delegations)" in _shown(harness, card)
    _procedure(harness, "consensus")
    assert "No objection" in _shown(harness, card)
    _procedure(harness, "vote")
    assert by_vote in _shown(harness, card)
    _procedure(harness, "delegation")
    assert "Oppose: TH" in _shown(harness, card)
    with session_factory() as session:
        assert session.scalar(select(func.count()).select_from(Vote)) == 4


def test_the_default_procedure_comes_from_the_setting(
    emulator: Emulator, database_url: str, session_factory: sessionmaker[Session]
) -> None:
    emulator.reset()
    h = start_harness(emulator, database_url, decision_procedure="delegation")
    try:
        h.link(CHANNEL, rapporteur=RAPPORTEUR)
        seat_all(session_factory, SEATS)
        card = h.recommend("UTH1", CHANNEL, "Designate a 24/7 contact point.")
        assert "(delegations)" in _shown(h, card)
        assert "decides by delegation" in h.wg("UTH1", CHANNEL, "status")
        assert "now decides by vote" in _procedure(h, "vote")
        assert "(delegations)" not in _shown(h, card)
    finally:
        h.close()


def test_an_unknown_decision_procedure_stops_start_up_naming_it() -> None:
    with pytest.raises(SettingsError) as caught:
        load_settings(_env_file=None, decision_procedure="majority")
    assert "DECISION_PROCEDURE" in str(caught.value) and "'majority'" in str(caught.value)
    assert load_settings(_env_file=None, decision_procedure=" Consensus ").decision_procedure == (
        "consensus"
    )


def test_two_delegates_of_one_delegation_clicking_together_make_one_ballot(
    harness: Harness, card: dict[str, Any], session_factory: sessionmaker[Session]
) -> None:
    _procedure(harness, "delegation")
    rounds = [("support", "oppose"), ("abstain", "support"), ("oppose", "abstain")] * 3
    for first, second in rounds:
        barrier = threading.Barrier(2)
        statuses: list[int] = []

        def click(
            user: str,
            choice: str,
            barrier: threading.Barrier = barrier,
            statuses: list[int] = statuses,
        ) -> None:
            barrier.wait()
            statuses.append(harness.vote(user, card, choice).status)

        threads = [
            threading.Thread(target=click, args=("UTH1", first)),
            threading.Thread(target=click, args=("UTH2", second)),
        ]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(20)
        assert statuses == [200, 200]
        harness.settle()
        with session_factory() as session:
            rows = session.execute(
                select(Vote.choice, Vote.seq).where(Vote.delegation == "TH")
            ).all()
        assert len({seq for _, seq in rows}) == len(rows) == 2  # never a tie
        latest = max(rows, key=lambda row: row.seq).choice
        shown = _shown(harness, card)
        counts = {"support": 0, "oppose": 0, "abstain": 0}
        counts[latest] = 1
        expected = (
            f"Support: {counts['support']} · Oppose: {counts['oppose']} · "
            f"Abstain: {counts['abstain']} (delegations)"
        )
        assert expected in shown, (rows, shown)
        assert f"{latest.capitalize()}: TH" in shown
