"""`/wg`: through signed requests against the emulator, and its callbacks called directly."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy.orm import Session

from bot.listeners import wg
from bot.runtime.followups import Followups
from storage import groups, recommendations
from storage.countries import country_name
from storage.errors import ChannelNotLinked
from tests.factories import ORGANIZER as ORGANIZER_ACTOR
from tests.factories import RAPPORTEUR as RAPPORTEUR_ACTOR
from tests.factories import linked_group, submitted
from tests.harness import ORGANIZER, Harness, card_text

CHANNEL = "CEEVID"
RAPPORTEUR = "URAPP1"


# --- through Slack's request path -------------------------------------------------------


def test_link_appoint_country_and_status(harness: Harness):
    harness.link(CHANNEL, rapporteur=RAPPORTEUR)
    assert country_name("VN") in harness.wg("UDEL1", CHANNEL, "country vn")
    status = harness.wg("UDEL1", CHANNEL, "status")
    assert "Electronic evidence" in status and f"<@{RAPPORTEUR}>" in status
    assert "not appointed" in status  # the other groups
    # A plain mention without a name works too.
    assert "<@UOTHER>" in harness.wg(ORGANIZER, CHANNEL, "rapporteur <@UOTHER>")


def test_unknown_group_and_country_get_clear_errors(harness: Harness):
    text = harness.wg(ORGANIZER, CHANNEL, "link cybercrime")
    for key in ("e-evidence", "financial-investigation", "asset-confiscation", "victim-protection"):
        assert key in text
    assert "ISO 3166" in harness.wg("UDEL1", CHANNEL, "country XX")
    assert "Usage" in harness.wg(ORGANIZER, CHANNEL, "rapporteur someone")
    assert "takes no arguments" in harness.wg(ORGANIZER, CHANNEL, "close now please")
    assert "I don't know `/wg frobnicate`" in harness.wg("UDEL1", CHANNEL, "frobnicate")


def test_wrong_roles_are_refused_and_nothing_changes(harness: Harness):
    refusal = harness.wg("UDEL1", CHANNEL, "link e-evidence")
    assert "organizer" in refusal
    assert "not linked" in harness.wg(ORGANIZER, CHANNEL, "close")
    harness.link(CHANNEL, rapporteur=RAPPORTEUR)
    assert "organizer" in harness.wg("UDEL1", CHANNEL, "rapporteur <@UDEL1>")
    assert "rapporteur" in harness.wg("UDEL1", CHANNEL, "close")
    harness.wg(RAPPORTEUR, CHANNEL, "close")
    assert "rapporteur" in harness.wg("UDEL1", CHANNEL, "reopen")
    assert "rapporteur" in harness.wg("UDEL1", CHANNEL, "compile")
    assert "closed" in harness.wg("UDEL1", CHANNEL, "status")
    harness.wg(RAPPORTEUR, CHANNEL, "reopen")
    assert "Only an organizer" in harness.wg(RAPPORTEUR, CHANNEL, "compile all")
    assert "open" in harness.wg("UDEL1", CHANNEL, "status")
    status = harness.wg("UDEL1", CHANNEL, "status")
    assert f"<@{RAPPORTEUR}>" in status and "<@UDEL1>" not in status


def test_close_refuses_votes_then_reopen(harness: Harness):
    harness.link(CHANNEL, rapporteur=RAPPORTEUR)
    card = harness.recommend("UDEL1", CHANNEL, "Designate 24/7 contact points")
    harness.vote("UV1", card, "support")
    harness.settle()
    assert "Voting is now closed" in harness.wg(RAPPORTEUR, CHANNEL, "close")
    assert "already closed" in harness.wg(RAPPORTEUR, CHANNEL, "close")
    harness.settle()
    closed_card = {**card, "message": harness.card(card)}
    assert "closed" in card_text(closed_card["message"]).lower()
    # The card keeps its buttons: a click on the closed card is answered, and not counted.
    assert harness.vote("UV2", closed_card, "oppose").status == 200
    harness.settle()
    assert any("closed" in t for t in harness.ephemerals("UV2"))
    assert "Support: 1 · Oppose: 0" in card_text(harness.card(card))
    assert "open again" in harness.wg(ORGANIZER, CHANNEL, "reopen")
    assert "already open" in harness.wg(ORGANIZER, CHANNEL, "reopen")
    harness.vote("UV2", card, "oppose")
    harness.settle()
    assert "Support: 1 · Oppose: 1" in card_text(harness.card(card))


# --- the callbacks, called directly -----------------------------------------------------


class Ack:
    """A fake `ack` that records what it was called with."""

    def __init__(self) -> None:
        self.calls: list[dict[str, Any]] = []

    def __call__(self, **kwargs: Any) -> None:
        self.calls.append(kwargs)


class Handler:
    """A fake sub-command handler: records its arguments, returns a fixed answer."""

    def __init__(self, answer: str) -> None:
        self.answer = answer
        self.calls: list[tuple[Any, dict[str, Any], list[str]]] = []

    def __call__(self, ctx: Any, command: dict[str, Any], args: list[str]) -> str:
        self.calls.append((ctx, command, args))
        return self.answer


@pytest.fixture
def handlers() -> dict[str, Handler]:
    return {sub: Handler(f"answer of {sub}") for sub in ("link", "close", "status", "help")}


def route(handlers: dict[str, Handler], text: str | None) -> list[dict[str, Any]]:
    ack = Ack()
    command = {"text": text, "channel_id": "C1"}
    wg.wg(ack, command, {"session": "the session"}, handlers=handlers)
    return ack.calls


def test_wg_routes_the_sub_command_with_its_arguments(handlers: dict[str, Handler]):
    assert route(handlers, "LINK  e-evidence") == [
        {"response_type": "ephemeral", "text": "answer of link"}
    ]
    ((ctx, command, args),) = handlers["link"].calls
    assert ctx == {"session": "the session"} and command["channel_id"] == "C1"
    assert args == ["e-evidence"]
    assert route(handlers, None) == [{"response_type": "ephemeral", "text": "answer of help"}]
    assert route(handlers, "   ") == [{"response_type": "ephemeral", "text": "answer of help"}]


def test_wg_answers_an_unknown_sub_command_without_calling_a_handler(
    handlers: dict[str, Handler],
):
    (answer,) = route(handlers, "frobnicate <!channel>")
    assert answer["response_type"] == "ephemeral"
    assert "I don't know `/wg frobnicate`" in answer["text"]
    assert all(h.calls == [] for h in handlers.values())


@pytest.mark.parametrize("text", ["close now", "status please", "help me out"])
def test_wg_refuses_arguments_to_a_sub_command_that_takes_none(
    handlers: dict[str, Handler], text: str
):
    sub = text.split()[0]
    (answer,) = route(handlers, text)
    assert answer["text"] == f":warning: Usage: `/wg {sub}` takes no arguments."
    assert all(h.calls == [] for h in handlers.values())


class Cards:
    """A fake CardUpdates: records which cards it was asked to refresh."""

    def __init__(self) -> None:
        self.refreshed: list[int] = []

    def refresh(self, recommendation_id: int, **_: Any) -> None:
        self.refreshed.append(recommendation_id)


def set_open(session: Session, is_open: bool, cards: Cards) -> tuple[str, Followups]:
    ctx = {"session": session, "actor": RAPPORTEUR_ACTOR, "followups": Followups()}
    text = wg.set_open(ctx, {"channel_id": "CEE"}, [], is_open=is_open, cards=cards)
    session.commit()  # as the request's unit of work does, before its follow-ups run
    return text, ctx["followups"]


def run_after_commit(followups: Followups) -> list[str]:
    for _, job in followups.after_commit:
        job()
    return [name for name, _ in followups.after_commit]


def test_close_and_reopen_refresh_each_posted_card_after_the_commit(session: Session):
    linked_group(session)
    posted = [submitted(session, text=f"Recommendation {n}") for n in range(2)]
    unposted = submitted(session, text="Not posted yet")
    for n, rec in enumerate(posted):
        recommendations.set_card(session, rec.id, "CEE", f"1700000000.00000{n}")
    session.commit()
    cards = Cards()

    text, followups = set_open(session, False, cards)
    assert text == ":lock: Voting is now closed in *Electronic evidence*. The cards show it."
    assert cards.refreshed == []  # nothing is shown before the commit
    assert followups.always == []
    assert run_after_commit(followups) == ["card refresh", "card refresh"]
    assert cards.refreshed == [rec.id for rec in posted]
    assert unposted.id not in cards.refreshed
    assert groups.group_by_key(session, "e-evidence").is_open is False

    text, followups = set_open(session, False, cards)
    assert text == "Voting in *Electronic evidence* is already closed."
    assert followups.after_commit == []

    cards.refreshed.clear()
    text, followups = set_open(session, True, cards)
    assert text == ":unlock: Voting is open again in *Electronic evidence*."
    assert run_after_commit(followups) == ["card refresh", "card refresh"]
    assert cards.refreshed == [rec.id for rec in posted]
    assert groups.group_by_key(session, "e-evidence").is_open is True


def test_set_open_by_an_organizer_in_an_unlinked_channel_is_refused(session: Session):
    ctx = {"session": session, "actor": ORGANIZER_ACTOR, "followups": Followups()}
    with pytest.raises(ChannelNotLinked):
        wg.set_open(ctx, {"channel_id": "CNOWHERE"}, [], is_open=False, cards=Cards())
    assert ctx["followups"].after_commit == []
