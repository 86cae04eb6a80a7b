"""A listed person's first click, before the app has matched them to the participant list:
refused with word that the match is under way, and counted when they click again; through
signed requests against the emulator."""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, select

from bot.cli_roster import import_roster
from storage.models import Person, Vote
from tests.harness import Harness, card_text

CHANNEL = "CMATCH"
RAPPORTEUR = "URAPP1"
MATCHING = (
    "If you are on the participant list, your Slack account is being matched now: "
    "click again in a few seconds."
)
# The emulator's users have the email user.<id in lower case>@example.org.
LIST = (
    "name,email,delegation\n"
    "Somchai Prasert,user.uth1@example.org,TH\n"
    "Nguyễn Thị Lan,user.uvn1@example.org,VN\n"
    "Sok Dara,sok.dara@example.org,KH\n"  # never comes: a row that always waits
)


def _import(harness: Harness, text: str = LIST) -> None:
    """The list imported without a bot token: nobody is matched until they use the app."""
    outcome = import_roster(
        text.encode("utf-8"),
        source="list.csv",
        session_factory=harness.app.session_factory,
        token=None,
        api_url=harness.emulator.api_url,
    )
    assert outcome.status == 0, outcome.err


def _card(harness: Harness, procedure: str) -> dict[str, Any]:
    harness.link(CHANNEL, rapporteur=RAPPORTEUR)
    _import(harness)
    harness.wg(RAPPORTEUR, CHANNEL, f"procedure {procedure}")
    card = harness.recommend(RAPPORTEUR, CHANNEL, "Designate 24/7 contact points.")
    harness.settle()
    return card


def _click(harness: Harness, user: str, card: dict[str, Any], choice: str) -> str:
    assert harness.vote(user, card, choice).status == 200
    harness.settle()
    return harness.ephemerals(user)[-1]


def _votes(harness: Harness, user: str) -> int:
    with harness.app.session_factory() as session:
        return session.scalar(select(func.count()).where(Vote.voter_user_id == user)) or 0


def test_a_listed_persons_first_click_says_the_match_is_under_way_and_the_next_counts(
    harness: Harness,
):
    card = _card(harness, "delegation")
    first = _click(harness, "UTH1", card, "support")
    assert first.startswith(":no_entry: *Electronic evidence* decides by one ballot per delegation")
    assert "your Slack account is not matched to a delegate on the participant list yet" in first
    assert first.endswith("Nothing was changed. " + MATCHING)
    assert _votes(harness, "UTH1") == 0
    with harness.app.session_factory() as session:  # matched after that first request
        person = session.get(Person, "UTH1")
        assert person is not None and person.delegation == "TH"

    second = _click(harness, "UTH1", card, "support")
    assert second == (
        ":ballot_box_with_ballot: Your vote for Thailand on EE-1 is recorded: Support."
    )
    assert _votes(harness, "UTH1") == 1
    assert "Support: 1 · Oppose: 0 · Abstain: 0 (delegations)" in card_text(harness.card(card))


def test_once_the_app_knows_the_person_is_not_listed_the_refusal_says_nothing_of_matching(
    harness: Harness,
):
    card = _card(harness, "delegation")
    first = _click(harness, "UNOLIST", card, "support")  # a row waits: they might be on it
    assert first.endswith(MATCHING)
    # Looked up after that click: their email is on no row, so they are simply not listed.
    again = _click(harness, "UNOLIST", card, "support")
    assert "being matched" not in again and "not matched" not in again
    assert "you are not on the participant list as a delegate" in again
    assert again.endswith("Nothing was changed.")
    assert _votes(harness, "UNOLIST") == 0


def test_in_a_consensus_group_an_objection_click_says_so_too(harness: Harness):
    card = _card(harness, "consensus")
    message = harness.card(card)
    value = next(
        e["value"]
        for b in message["blocks"]
        if b["type"] == "actions"
        for e in b["elements"]
        if e["action_id"] == "withdraw_objection"
    )
    response = harness.slack.block_action(
        "UVN1",
        channel_id=CHANNEL,
        message_ts=card["ts"],
        action_id="withdraw_objection",
        value=value,
        block_id="objection_buttons",
        user_name="name-UVN1",
    )
    assert response.status == 200
    harness.settle()
    told = harness.ephemerals("UVN1")[-1]
    assert "decides by consensus" in told and told.endswith(MATCHING)
