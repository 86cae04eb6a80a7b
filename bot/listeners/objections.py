"""A consensus card's `Object…` (the form and its submission) and `Withdraw objection`."""

from __future__ import annotations

import logging
from functools import partial
from typing import Any

from slack_bolt import Ack, BoltContext

from bot.delivery.cards import CardUpdates
from bot.delivery.notices import Notices
from bot.runtime.errors import message_for
from bot.slack.clients import attempt
from bot.slack.ids import Action, Block, Callback
from bot.slack.outbound import Outbound
from bot.slack.values import CardRef, ObjectionForm
from bot.ui.objection_modal import objection_modal, reason_value, refusal_view
from bot.ui.render import render
from storage import objections
from storage.errors import DomainError, InvalidInput


def open_form(
    ack: Ack,
    body: dict[str, Any],
    action: dict[str, Any],
    context: BoltContext,
    *,
    slack: Outbound,
    notices: Notices,
) -> None:
    """Open the form at once (the trigger_id lives 3 s), then check the person may object.

    A refusal replaces the form with its reason (and is told privately as every refusal
    is); a delegation's standing reason is put in the form, to be changed.
    """
    ack()
    rec_id = CardRef.parse(action.get("value")).rec
    channel_id = (body.get("channel") or {}).get("id")
    user_id = context["actor"].user_id
    form = objection_modal(recommendation_id=rec_id, channel_id=channel_id)
    opened = attempt(
        "views.open failed",
        lambda: slack.quick.views_open(trigger_id=body.get("trigger_id"), view=form),
    )
    if opened.value is None:
        text = render("objection/open_failed.j2", error=opened.error)
        context["followups"].reply(
            "form failed", lambda: notices.ephemeral(channel_id, user_id, text)
        )
        return
    view = opened.value["view"]
    try:
        reason = objections.reason_of(
            context["session"], actor=context["actor"], recommendation_id=rec_id
        )
    except DomainError as error:
        refusal = refusal_view(message_for(error))
        context["followups"].reply("form refused", lambda: _replace(slack, view, refusal, None))
        raise
    if reason:
        filled = objection_modal(recommendation_id=rec_id, channel_id=channel_id, reason=reason)
        hash_ = view.get("hash")  # unless the person already typed: theirs wins
        context["followups"].reply("form prefilled", lambda: _replace(slack, view, filled, hash_))


def submit(
    ack: Ack,
    view: dict[str, Any],
    context: BoltContext,
    *,
    cards: CardUpdates,
    notices: Notices,
) -> None:
    """Store the delegation's objection; a refused reason is shown under its field."""
    form = ObjectionForm.parse(view.get("private_metadata"))
    actor = context["actor"]
    try:
        change = objections.object_to(
            context["session"], actor=actor, recommendation_id=form.rec, reason=reason_value(view)
        )
    except InvalidInput as problem:
        ack(response_action="errors", errors={Block.REASON: message_for(problem)})
        return
    except DomainError as refused:  # nothing was written: the form says why, in full
        context["followups"].failed = True
        ack(response_action="update", view=refusal_view(message_for(refused)))
        return
    ack()
    text = render(
        "objection/recorded.j2",
        delegation=change.delegation_name,
        number=change.number,
        replaced=change.replaced,
    )
    _show(context, cards, notices, change.recommendation_id, form.channel_id, actor.user_id, text)


def withdraw(
    ack: Ack,
    body: dict[str, Any],
    action: dict[str, Any],
    context: BoltContext,
    *,
    cards: CardUpdates,
    notices: Notices,
) -> None:
    """Withdraw the clicking delegate's delegation's objection."""
    ack()
    rec_id = CardRef.parse(action.get("value")).rec
    actor = context["actor"]
    change = objections.withdraw(context["session"], actor=actor, recommendation_id=rec_id)
    text = render("objection/withdrawn.j2", delegation=change.delegation_name, number=change.number)
    channel_id = (body.get("channel") or {}).get("id")
    _show(context, cards, notices, rec_id, channel_id, actor.user_id, text)


def register(app: Any, *, slack: Outbound, cards: CardUpdates, notices: Notices) -> None:
    """Register the consensus card's buttons and the objection form."""
    app.action(Action.OBJECT)(partial(open_form, slack=slack, notices=notices))
    app.action(Action.WITHDRAW_OBJECTION)(partial(withdraw, cards=cards, notices=notices))
    app.view(Callback.OBJECTION_MODAL)(partial(submit, cards=cards, notices=notices))


def _show(
    context: BoltContext,
    cards: CardUpdates,
    notices: Notices,
    rec_id: int,
    channel_id: str | None,
    user_id: str,
    text: str,
) -> None:
    """After the commit: the card shows the change, and the person is told."""
    followups = context["followups"]
    followups.on_commit("card refresh", lambda: cards.refresh(rec_id))
    followups.on_commit("objection told", lambda: notices.ephemeral(channel_id, user_id, text))


def _replace(slack: Outbound, view: dict[str, Any], new: dict[str, Any], hash_: str | None) -> None:
    """Put `new` in place of the opened form (with `hash_`: unless it changed since)."""
    attempt(
        "objection form not updated",
        lambda: slack.client.views_update(view_id=view["id"], hash=hash_, view=new),
        level=logging.INFO,
    )
