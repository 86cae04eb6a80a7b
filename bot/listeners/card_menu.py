"""The card's overflow menu `⋯`: one listener, routing the chosen option to its handler.

The options are built in bot/ui/card_menu.py; each MenuAction's handler is wired in
bot/app.py. A handler gets the click as a MenuClick, after the acknowledgement, with the
trigger_id still fresh: one that opens a modal opens it before any database work.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from functools import partial
from typing import Any

from slack_bolt import Ack, BoltContext

from bot.slack.ids import Action, MenuAction
from bot.slack.values import MenuChoice
from storage.errors import NotFound


@dataclass(frozen=True)
class MenuClick:
    """A chosen menu option and what its handler needs of the request."""

    choice: MenuChoice
    user_id: str
    channel_id: str | None  # the card's channel
    trigger_id: str
    context: BoltContext  # the request's session, actor and followups

    @property
    def recommendation_id(self) -> int:
        """The recommendation the option acts on."""
        return self.choice.rec


MenuHandler = Callable[[MenuClick], None]


def on_menu(
    ack: Ack,
    body: dict[str, Any],
    action: dict[str, Any],
    context: BoltContext,
    *,
    handlers: Mapping[MenuAction, MenuHandler],
) -> None:
    """Acknowledge, then hand the chosen option to its handler; raises NotFound for an
    option that names nothing this app does."""
    ack()
    selected = action.get("selected_option")
    choice = MenuChoice.parse(selected.get("value") if isinstance(selected, dict) else None)
    handler = handlers.get(choice.do)
    if handler is None:
        raise NotFound(what="menu option")
    channel = body.get("channel")
    handler(
        MenuClick(
            choice=choice,
            user_id=context["actor"].user_id,
            channel_id=channel.get("id") if isinstance(channel, dict) else None,
            trigger_id=str(body.get("trigger_id") or ""),
            context=context,
        )
    )


def register(app: Any, *, handlers: Mapping[MenuAction, MenuHandler]) -> None:
    """Register the card menu's one listener."""
    app.action(Action.CARD_MENU)(partial(on_menu, handlers=dict(handlers)))
