"""Delegations taking a stance on a card, as Slack users would: an objection through the
card's `Object…` form, a reservation through its menu `⋯` → `Enter a reservation…`."""

from __future__ import annotations

import json
import time
from typing import Any

from bot.demo.errors import DemoError
from bot.demo.players import POLL, Card, Players, new_trigger_id
from bot.demo.script import Person
from bot.emulator import state_value_text
from bot.slack.ids import Action, Block, MenuAction
from bot.ui.render import render
from storage.countries import country_name

FORM_TIMEOUT = 10.0  # for the reservation form to be filled in after it opens
POST_TIMEOUT = 10.0  # for the reservation to be posted in the card's thread


def object_to(players: Players, person: Person, card: Card, reason: str) -> None:
    """Click `Object…`, give the reason and submit; DemoError if the app refuses."""
    trigger = new_trigger_id()
    _click(players, person, card, Action.OBJECT, Block.OBJECTIONS, card.recommendation_id, trigger)
    view = players.opened_view(trigger)
    values = {Block.REASON: {Action.REASON: state_value_text(reason)}}
    _submit(players, person, view, values, f"{person.handle}'s objection to {card.number}")


def reserve(players: Players, person: Person, card: Card, text: str) -> None:
    """Choose `Enter a reservation…` in the card's menu, write the text and submit; wait
    until the app posts it in the card's thread. DemoError if the app refuses."""
    trigger = new_trigger_id()
    _click(
        players, person, card, Action.CARD_MENU, Block.HEADING, _menu_value(players, card), trigger
    )
    opened = players.opened_view(trigger)
    view = _filled_in(players, str(opened["id"]), f"the reservation form on {card.number}")
    values = {Block.TEXT: {Action.TEXT: state_value_text(text)}}
    _submit(players, person, view, values, f"{person.handle}'s reservation on {card.number}")
    posted = render(
        "reservation/thread.j2",
        delegation=country_name(person.country or ""),
        text=text,
        changed=False,
    )
    _wait_for_thread_post(players, card, posted)


def _click(
    players: Players,
    person: Person,
    card: Card,
    action_id: str,
    block_id: str,
    value: str,
    trigger: str,
) -> None:
    response = players.sender.block_action(
        person.user_id,
        channel_id=card.channel,
        message_ts=card.ts,
        action_id=action_id,
        value=value,
        block_id=block_id,
        user_name=person.handle,
        trigger_id=trigger,
    )
    if response.status != 200:
        raise DemoError(
            f"{person.handle} clicking {action_id} on {card.number}: HTTP {response.status}"
        )


def _submit(
    players: Players, person: Person, view: dict[str, Any], values: dict[str, Any], what: str
) -> None:
    response = players.sender.view_submission(
        person.user_id, view=view, values=values, user_name=person.handle
    )
    if response.status != 200 or response.text.strip():
        raise DemoError(f"{what}: the app answered HTTP {response.status} {response.text[:300]}")


def _menu_value(players: Players, card: Card) -> str:
    """The value of the card's menu option `Enter a reservation…`, as the card shows it now."""
    for message in players.emulator.messages(card.channel):
        if message["ts"] != card.ts:
            continue
        for block in message.get("blocks") or []:
            menu = block.get("accessory") or {}
            for option in menu.get("options") or []:
                if json.loads(option["value"]).get("do") == MenuAction.RESERVATION:
                    return str(option["value"])
    raise DemoError(f"the card {card.number} offers no reservation in its menu")


def _filled_in(players: Players, view_id: str, what: str) -> dict[str, Any]:
    """The modal once the app has put the form in it (it opens a placeholder at once)."""
    deadline = time.monotonic() + FORM_TIMEOUT
    while True:
        view = players.emulator.views().get(view_id) or {}
        blocks = view.get("blocks") or []
        if any(b.get("block_id") == Block.TEXT for b in blocks):
            return view
        if time.monotonic() > deadline:
            players.alive()
            raise DemoError(f"{what} was not filled in: {json.dumps(blocks)[:300]}")
        time.sleep(POLL)


def _wait_for_thread_post(players: Players, card: Card, text: str) -> None:
    def in_thread(call: dict[str, Any]) -> bool:
        params = call["params"]
        return params.get("thread_ts") == card.ts and params.get("text") == text

    try:
        players.emulator.wait_for(
            "chat.postMessage", count=1, timeout=POST_TIMEOUT, predicate=in_thread
        )
    except TimeoutError:
        players.alive()
        raise DemoError(f"the reservation was not posted in the thread of {card.number}") from None
