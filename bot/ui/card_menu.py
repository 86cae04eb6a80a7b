"""The card's overflow menu `⋯`: the less frequent actions on a recommendation.

The options come from MENU, in order; a new action is one entry here (its label under
[card_menu] in templates/messages/labels.toml), its MenuAction (bot/slack/ids.py) and its
handler (wired in bot/app.py, routed by bot/listeners/card_menu.py). Slack shows at most
five options in an overflow menu.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from bot.slack.ids import Action, MenuAction
from bot.slack.values import MenuChoice
from bot.ui.labels import label
from bot.ui.text import plain
from storage.cards import CardState

OVERFLOW_OPTIONS_MAX = 5


def _always(state: CardState) -> bool:
    return True


@dataclass(frozen=True)
class MenuItem:
    """One option: what it does, its label's key, and on which cards it is offered."""

    action: MenuAction
    label_key: str
    offered: Callable[[CardState], bool] = _always


def _text_open(state: CardState) -> bool:
    return state.life.is_open


# Reservations are allowed while the group is open and after it closed: always offered.
# Changes to the text are offered until it is withdrawn or merged (a click by someone whom
# they do not concern, or while the group is closed, is refused privately with the reason:
# the menu of a channel message is the same for everyone).
MENU: tuple[MenuItem, ...] = (
    MenuItem(MenuAction.RESERVATION, "reservation"),
    MenuItem(MenuAction.EDIT, "edit", _text_open),  # bot/listeners/edit.py
    MenuItem(MenuAction.WITHDRAW, "withdraw", _text_open),  # bot/listeners/withdraw.py
    MenuItem(MenuAction.AMEND, "amend", _text_open),  # bot/listeners/amendments.py
    MenuItem(MenuAction.MERGE, "merge", _text_open),  # bot/listeners/merge.py
)


def menu_options(state: CardState) -> list[dict[str, Any]]:
    """The options offered on this card, each naming its action and the recommendation."""
    return [
        {
            "text": plain(label("card_menu", item.label_key)),
            "value": MenuChoice(do=item.action, rec=state.recommendation_id).dump(),
        }
        for item in MENU
        if item.offered(state)
    ][:OVERFLOW_OPTIONS_MAX]


def card_menu(state: CardState) -> dict[str, Any] | None:
    """The overflow element for the card's heading, or None when nothing is offered."""
    options = menu_options(state)
    if not options:
        return None
    return {"type": "overflow", "action_id": Action.CARD_MENU, "options": options}
