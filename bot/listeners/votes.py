"""The Support / Oppose / Abstain buttons on a card."""

from __future__ import annotations

import re
from typing import Any

from slack_bolt import Ack, BoltContext

from bot.cardsync import refresh_card
from bot.ids import VOTE_ACTIONS
from bot.notify import ephemeral
from bot.render import render
from bot.services import Services
from storage import votes
from storage.errors import NotFound

VOTE_ACTION_IDS = re.compile("^(" + "|".join(VOTE_ACTIONS) + ")$")


def register(app: Any, services: Services) -> None:
    """Register the vote buttons."""

    @app.action(VOTE_ACTION_IDS)
    def vote(ack: Ack, body: dict[str, Any], action: dict[str, Any], context: BoltContext) -> None:
        ack()
        recommendation_id = _recommendation_id(action.get("value"))
        choice = votes.parse_choice(VOTE_ACTIONS[action["action_id"]])
        result = votes.cast(
            context["session"],
            actor=context["actor"],
            recommendation_id=recommendation_id,
            choice=choice,
        )
        user_id = context["actor"].user_id
        channel_id = (body.get("channel") or {}).get("id")

        def tell_not_shown(number: str) -> None:
            ephemeral(services, channel_id, user_id, render("vote/not_shown.j2", number=number))

        def confirm_and_show() -> None:
            # One job per click, after the commit (so even the wording stays out of the
            # transaction): the confirmation first, then the card, which is usually only a
            # mark for the job already refreshing it (see bot.cardsync).
            try:
                ephemeral(services, channel_id, user_id, _confirmation(result))
            finally:
                if result.changed:
                    refresh_card(services, recommendation_id, on_failure=tell_not_shown)

        context["outbox"].on_commit("vote confirmation", confirm_and_show)


def _confirmation(result: votes.VoteResult) -> str:
    return render(
        "vote/confirmed.j2",
        number=result.number,
        choice=result.choice.value,
        previous=result.previous.value if result.previous else None,
        changed=result.changed,
    )


def _recommendation_id(value: object) -> int:
    if isinstance(value, str) and value.isdigit() and len(value) < 12:
        return int(value)
    raise NotFound(what="recommendation")
