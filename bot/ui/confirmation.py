"""What a voter is told about their clicks since their last confirmation."""

from __future__ import annotations

from typing import Any

from bot.ui.render import render
from storage.countries import country_name
from storage.votes import VoteResult


def confirmation(results: list[VoteResult]) -> str:
    """The confirmation of a series of clicks, card by card (one card: one sentence).

    By delegation, it names the delegation voted for and whose click the vote replaced.
    """
    cards: dict[str, dict[str, Any]] = {}
    for result in results:
        card = cards.setdefault(
            result.number,
            {
                "number": result.number,
                "previous": result.previous,
                "previous_by": result.previous_by,
                "changed": False,
            },
        )
        card["choice"] = result.choice
        card["changed"] = card["changed"] or result.changed
        card["delegation"] = country_name(result.delegation) if result.delegation else None
    items = []
    for card in cards.values():
        previous = card["previous"] if card["changed"] else None
        by = card["previous_by"] if previous else None
        if previous == card["choice"] and not by:
            previous = None  # back to the choice it had: nothing to say it replaced
        items.append(
            {
                "number": card["number"],
                "choice": card["choice"].value,
                "previous": previous.value if previous else None,
                "by": by,
                "delegation": card["delegation"],
                "changed": card["changed"],
            }
        )
    if len(items) == 1:
        template = "vote/confirmed_delegation.j2" if items[0]["delegation"] else "vote/confirmed.j2"
        return render(template, **items[0])
    return render("vote/confirmed_many.j2", items=items)
