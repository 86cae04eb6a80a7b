"""The card's menu `⋯`: its options come from one registry, and one listener routes them."""

from __future__ import annotations

from typing import Any

import pytest

from bot.listeners.card_menu import MenuClick, on_menu
from bot.slack.ids import Action, MenuAction
from bot.slack.values import MenuChoice
from bot.ui import card_menu
from bot.ui.card import card_blocks
from storage.actors import Actor
from storage.cards import CardState
from storage.errors import NotFound
from storage.rules import Counts


def _state(**fields: Any) -> CardState:
    values: dict[str, Any] = {
        "recommendation_id": 42,
        "number": "EE-3",
        "title": None,
        "text": "Preserve logs",
        "rationale": None,
        "author_user_id": "UDEL1",
        "author_name": "Delegate",
        "country_code": "TH",
        "country_name": "Thailand",
        "group_key": "e-evidence",
        "group_name": "Electronic evidence",
        "is_open": False,
        "counts": Counts(),
        "version": 1,
        "channel_id": "CEE",
        "message_ts": "1.2",
    }
    values.update(fields)
    return CardState(**values)


def test_the_heading_carries_the_menu_built_from_the_registry():
    heading = card_blocks(_state())[0]
    menu = heading["accessory"]
    assert (heading["block_id"], menu["type"], menu["action_id"]) == (
        "card_heading",
        "overflow",
        Action.CARD_MENU,
    )
    labels = [option["text"]["text"] for option in menu["options"]]
    assert labels == [  # offered on a closed group's card too (a click is refused, with why)
        "Enter a reservation…",
        "Edit…",
        "Withdraw",
        "Propose an amendment…",
        "Merge into…",
    ]
    assert len(labels) <= card_menu.OVERFLOW_OPTIONS_MAX
    choice = MenuChoice.parse(menu["options"][0]["value"])
    assert (choice.do, choice.rec) == (MenuAction.RESERVATION, 42)


def test_an_option_not_offered_is_left_out_and_no_options_no_menu(monkeypatch):
    never = card_menu.MenuItem(MenuAction.RESERVATION, "reservation", lambda state: False)
    monkeypatch.setattr(card_menu, "MENU", (never,))
    assert "accessory" not in card_blocks(_state())[0]


def test_the_reservations_line_lists_codes_only_when_there_are_any():
    texts = [str(b) for b in card_blocks(_state(reservations=("TH", "VN")))]
    assert any("Reservations: TH, VN" in t for t in texts)
    assert not any("Reservations:" in str(b) for b in card_blocks(_state()))


class _Context(dict):
    pass


def _click(value: object) -> tuple[list[str], list[MenuClick]]:
    acked: list[str] = []
    routed: list[MenuClick] = []
    context = _Context(actor=Actor("UTH1"))
    on_menu(
        lambda *a, **k: acked.append("ack"),
        {"channel": {"id": "CEE"}, "trigger_id": "1.2.3"},
        {"action_id": Action.CARD_MENU, "selected_option": {"value": value}},
        context,  # type: ignore[arg-type]
        handlers={MenuAction.RESERVATION: routed.append},
    )
    return acked, routed


def test_the_listener_acknowledges_and_routes_by_option():
    acked, routed = _click(MenuChoice(do=MenuAction.RESERVATION, rec=7).dump())
    assert acked == ["ack"]
    (click,) = routed
    assert (click.recommendation_id, click.user_id, click.channel_id, click.trigger_id) == (
        7,
        "UTH1",
        "CEE",
        "1.2.3",
    )


@pytest.mark.parametrize(
    "value", [None, "", "{}", '{"do": "explode", "rec": 7}', '{"do": "reservation", "rec": -1}']
)
def test_an_option_that_names_nothing_is_not_found(value):
    with pytest.raises(NotFound):
        _click(value)
