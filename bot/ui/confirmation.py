"""What a voter is told about their clicks since their last confirmation."""

from __future__ import annotations

from typing import Any

from bot.ui.render import render
from storage.votes import VoteResult


def confirmation(results: list[VoteResult]) -> str:
    """The confirmation of a series of clicks, card by card (one card: one sentence)."""
    cards: dict[str, dict[str, Any]] = {}
    for result in results:
        card = cards.setdefault(
            result.number,
            {"number": result.number, "previous": result.previous, "changed": False},
        )
        card["choice"] = result.choice
        card["changed"] = card["changed"] or result.changed
    items = []
    for card in cards.values():
        previous = card["previous"] if card["previous"] != card["choice"] else None
        items.append(
            {
                "number": card["number"],
                "choice": card["choice"].value,
                "previous": previous.value if previous and card["changed"] else None,
                "changed": card["changed"],
            }
        )
    if len(items) == 1:
        return render("vote/confirmed.j2", **items[0])
    return render("vote/confirmed_many.j2", items=items)
