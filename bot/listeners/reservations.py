"""Reservations: the form opened from a card's menu, and its submission.

Opening: a placeholder modal at once (the trigger_id lives 3 s), then, from the record, the
form for the person's delegation (prefilled with its reservation) or why they may not. Any
refusal is private: the modal says why, and so does an ephemeral message in the channel,
which stays once the modal is closed. Submitting enters, replaces or withdraws the
delegation's reservation; after the commit it is posted in the card's thread and the card
shows it (bot.delivery.threads, bot.delivery.cards).
"""

from __future__ import annotations

import logging
import re
from functools import partial
from typing import Any

from slack_bolt import Ack, BoltContext

from bot.delivery.cards import CardUpdates
from bot.delivery.notices import Notices
from bot.delivery.threads import ReservationPosts
from bot.listeners.card_menu import MenuClick
from bot.runtime.errors import message_for
from bot.slack.clients import attempt
from bot.slack.ids import Block, Callback
from bot.slack.outbound import Outbound
from bot.slack.values import ReservationForm
from bot.ui.render import render
from bot.ui.reservation_modal import (
    loading_view,
    refused_view,
    reservation_modal,
    submitted_text,
    wants_withdrawal,
)
from storage import reservations
from storage.errors import DomainError

log = logging.getLogger(__name__)
LEADING_EMOJI = re.compile(r"^:[a-z0-9_+-]+:\s*")


def open_form(click: MenuClick, *, slack: Outbound, notices: Notices) -> None:
    """`Enter a reservation…`: open the form, then fill it in for the person's delegation."""
    followups = click.context["followups"]
    opened = attempt(
        "views.open failed",
        lambda: slack.quick.views_open(trigger_id=click.trigger_id, view=loading_view()),
    )
    if opened.value is None:
        text = render("reservation/open_failed.j2", error=opened.error)
        followups.reply(
            "reservation form not opened",
            lambda: notices.ephemeral(click.channel_id, click.user_id, text),
        )
        return
    view_id = opened.value["view"]["id"]
    try:
        form = reservations.form(
            click.context["session"],
            user_id=click.user_id,
            recommendation_id=click.recommendation_id,
        )
    except DomainError as refusal:
        text = refusal_text(refusal)

        def refuse() -> None:
            _show(slack, view_id, refused_view(text))
            notices.ephemeral(click.channel_id, click.user_id, text)

        followups.reply("reservation refused", refuse)
        return
    view = reservation_modal(form, channel_id=click.channel_id)
    followups.reply("reservation form", lambda: _show(slack, view_id, view))


def submit(
    ack: Ack,
    view: dict[str, Any],
    context: BoltContext,
    *,
    posts: ReservationPosts,
    cards: CardUpdates,
) -> None:
    """Enter, replace or withdraw the delegation's reservation; refusals and bad input are
    answered under the text field, and nothing is stored."""
    actor, followups = context["actor"], context["followups"]
    try:
        form = ReservationForm.parse(view.get("private_metadata"))
        if wants_withdrawal(view):
            outcome = reservations.withdraw(
                context["session"],
                actor=actor,
                recommendation_id=form.rec,
                delegation=form.delegation,
            )
        else:
            outcome = reservations.enter(
                context["session"],
                actor=actor,
                recommendation_id=form.rec,
                delegation=form.delegation,
                text=submitted_text(view),
            )
    except DomainError as error:
        followups.failed = True  # roll back whatever the operation did before refusing
        ack(response_action="errors", errors={Block.TEXT: _under_field(refusal_text(error))})
        return
    ack()
    origin = form.channel_id
    followups.on_commit(
        "reservation in thread", lambda: posts.after_commit(outcome, actor.user_id, origin)
    )
    followups.on_commit("card update", lambda: cards.refresh(outcome.recommendation_id))


def refusal_text(error: Exception) -> str:
    """What the person is told when an action on a reservation is refused."""
    if isinstance(error, reservations.NotADelegate):
        return render("reservation/refused.j2", **_defaults(error.params))
    return message_for(error)


def _under_field(text: str) -> str:
    """A message as a field's error: plain text, so without its leading emoji code."""
    return LEADING_EMOJI.sub("", text)


def _defaults(params: dict[str, object]) -> dict[str, object]:
    keys = ("reason", "declared", "organisation", "yours", "theirs")
    return {key: params.get(key) for key in keys}


def _show(slack: Outbound, view_id: str, view: dict[str, Any]) -> None:
    """Replace the placeholder; if the person closed it meanwhile, there is nothing to do."""
    attempt(
        "reservation form not shown",
        lambda: slack.client.views_update(view_id=view_id, view=view),
        level=logging.INFO,
    )


def register(app: Any, *, posts: ReservationPosts, cards: CardUpdates) -> None:
    """Register the reservation form's submission (it is opened from the card's menu)."""
    app.view(Callback.RESERVATION_MODAL)(partial(submit, posts=posts, cards=cards))
