"""The Support / Oppose / Abstain buttons on a card."""

from __future__ import annotations

import re
from functools import partial
from typing import Any

from slack_bolt import Ack, BoltContext

from bot.delivery.cards import CardUpdates
from bot.delivery.confirmations import Confirmations
from bot.delivery.homes import Homes
from bot.delivery.notices import Notices
from bot.runtime.ballot_box import BallotBox
from bot.slack.ids import VOTE_ACTIONS
from bot.slack.values import CardRef
from bot.ui.render import render
from storage import votes

VOTE_ACTION_IDS = re.compile("^(" + "|".join(VOTE_ACTIONS) + ")$")


def vote(
    ack: Ack,
    body: dict[str, Any],
    action: dict[str, Any],
    context: BoltContext,
    *,
    ballots: BallotBox,
    confirmations: Confirmations,
    cards: CardUpdates,
    notices: Notices,
    homes: Homes | None = None,
) -> None:
    """Store the click's vote, confirm it to the voter and bring the card up to date."""
    ack()
    actor = context["actor"]
    ballot = votes.Ballot(
        user_id=actor.user_id,
        name=actor.name,
        recommendation_id=CardRef.parse(action.get("value")).rec,
        choice=votes.parse_choice(VOTE_ACTIONS[action["action_id"]]),
        request_id=actor.request_id,
    )
    # Committed on return (with the clicks that arrived alongside: bot.runtime.ballot_box), so
    # what follows may show it. Both are coalesced: a burst of clicks costs about one card
    # update per card and one confirmation per voter per interval, not one each.
    result = ballots.cast(ballot)
    channel_id = (body.get("channel") or {}).get("id")
    confirmations.add(channel_id, actor.user_id, result)
    if homes is not None:  # the voter's Home, later on the job pool (coalesced per person)
        homes.voted(actor.user_id, body.get("view"))
    if result.changed:

        def tell_not_shown(number: str) -> None:
            notices.ephemeral(channel_id, actor.user_id, render("vote/not_shown.j2", number=number))

        cards.refresh(result.recommendation_id, on_failure=tell_not_shown)


def register(
    app: Any,
    *,
    ballots: BallotBox,
    confirmations: Confirmations,
    cards: CardUpdates,
    notices: Notices,
    homes: Homes | None = None,
) -> None:
    """Register the vote buttons."""
    app.action(VOTE_ACTION_IDS)(
        partial(
            vote,
            ballots=ballots,
            confirmations=confirmations,
            cards=cards,
            notices=notices,
            homes=homes,
        )
    )
