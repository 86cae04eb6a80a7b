"""The Support / Oppose / Abstain buttons on a card."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from slack_bolt import Ack, BoltContext

from bot.delivery.cards import refresh_card
from bot.delivery.notices import ephemeral, paced_ephemeral
from bot.runtime.services import Recipient, Services
from bot.slack.ids import VOTE_ACTIONS
from bot.ui.render import render
from storage import votes
from storage.errors import NotFound

VOTE_ACTION_IDS = re.compile("^(" + "|".join(VOTE_ACTIONS) + ")$")


def register(app: Any, services: Services) -> None:
    """Register the vote buttons."""
    send_confirmation = _send_confirmation(services)

    @app.action(VOTE_ACTION_IDS)
    def vote(ack: Ack, body: dict[str, Any], action: dict[str, Any], context: BoltContext) -> None:
        ack()
        actor = context["actor"]
        ballot = votes.Ballot(
            user_id=actor.user_id,
            name=actor.name,
            recommendation_id=_recommendation_id(action.get("value")),
            choice=votes.parse_choice(VOTE_ACTIONS[action["action_id"]]),
            request_id=actor.request_id,
        )
        # Committed on return (with the clicks that arrived alongside: bot.runtime.ballot_box), so
        # what follows may show it. Both are coalesced: a burst of clicks costs about one
        # card update per card and one confirmation per voter per interval, not one each.
        result = services.ballots.cast(ballot)
        channel_id = (body.get("channel") or {}).get("id")

        def tell_not_shown(number: str) -> None:
            ephemeral(
                services, channel_id, actor.user_id, render("vote/not_shown.j2", number=number)
            )

        services.confirmations.add((channel_id, actor.user_id), result, send_confirmation)
        if result.changed:
            refresh_card(services, result.recommendation_id, on_failure=tell_not_shown)


def _send_confirmation(
    services: Services,
) -> Callable[[Recipient, list[votes.VoteResult]], None]:
    def send(recipient: Recipient, results: list[votes.VoteResult]) -> None:
        channel_id, user_id = recipient
        paced_ephemeral(services, channel_id, user_id, confirmation(results))

    return send


def confirmation(results: list[votes.VoteResult]) -> str:
    """What the voter is told about their clicks since the last confirmation, card by card."""
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


def _recommendation_id(value: object) -> int:
    if isinstance(value, str) and value.isdigit() and len(value) < 12:
        return int(value)
    raise NotFound(what="recommendation")
