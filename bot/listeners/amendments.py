"""Amendments: `Propose an amendment…` in a card's menu, and the `Accept` / `Reject` buttons
under each amendment in the card's thread.

Proposing posts the amendment in the thread after the commit, showing what it changes word
by word. Accept (its author, the group's rapporteur or an organizer) makes it the next
version at once, voters told as after an edit; when the text changed since it was proposed,
a form first shows the text standing now and what the amendment would make of it, and its
submit button is the confirmation. Reject opens a form for an optional reason. Either way
the thread message's buttons are replaced by the decision. Refusals are said privately.
"""

from __future__ import annotations

from functools import partial
from typing import Any

from slack_bolt import Ack, BoltContext

from bot.delivery.cards import CardUpdates
from bot.delivery.notices import Notices
from bot.delivery.text_changes import TextChanges
from bot.listeners.card_menu import MenuClick
from bot.listeners.text_forms import field_errors, open_form, open_from_menu
from bot.runtime.errors import message_for
from bot.runtime.followups import Followups
from bot.slack.clients import attempt
from bot.slack.ids import Action, Block, Callback
from bot.slack.outbound import Outbound
from bot.slack.values import AmendmentRef, TextForm
from bot.ui.amendment import accept_modal, amend_modal, reject_modal
from bot.ui.render import render
from bot.ui.text_forms import refused, typed
from storage import amendments
from storage.amendments import Decided
from storage.errors import DomainError, InvalidInput


def open_amend(click: MenuClick, *, slack: Outbound, notices: Notices) -> None:
    """`Propose an amendment…`: the form prefilled with the text, or why the person may not."""
    open_from_menu(
        click,
        slack=slack,
        notices=notices,
        callback=Callback.AMEND_MODAL,
        section_key="amendment",
        read=amendments.amend_form,
        draw=lambda form, click: amend_modal(form, channel_id=click.channel_id),
    )


def submit_amend(
    ack: Ack, view: dict[str, Any], context: BoltContext, *, changes: TextChanges
) -> None:
    """Store the amendment; after the commit it is posted in the card's thread."""
    form = TextForm.parse(view.get("private_metadata"))
    try:
        proposed = amendments.propose(
            context["session"],
            actor=context["actor"],
            recommendation_id=form.rec,
            base_version=form.version or 0,
            text=typed(view, Block.TEXT, Action.TEXT),
            reason=typed(view, Block.REASON, Action.REASON),
        )
    except DomainError as error:
        context["followups"].failed = True
        ack(**field_errors(error, _block_of(error)))
        return
    ack()
    user_id = context["actor"].user_id
    context["followups"].on_commit(
        "amendment in thread", lambda: changes.post_amendment(proposed, user_id, form.channel_id)
    )


def on_accept(
    ack: Ack,
    body: dict[str, Any],
    action: dict[str, Any],
    context: BoltContext,
    *,
    slack: Outbound,
    changes: TextChanges,
    cards: CardUpdates,
    notices: Notices,
) -> None:
    """`Accept`: at once, or (the text changed since it was proposed) through a form showing
    the newer text. The record is read first, in one query, so that the form opens well
    within the trigger_id's 3 s."""
    ack()
    ref = AmendmentRef.parse(action.get("value"))
    channel = _channel(body)
    session, actor = context["session"], context["actor"]
    pending = amendments.pending(session, actor=actor, amendment_id=ref.am, action="accept")
    if pending.stale:
        view = accept_modal(pending, channel_id=channel)
        trigger = str(body.get("trigger_id") or "")
        opened = attempt(
            "views.open failed", lambda: slack.quick.views_open(trigger_id=trigger, view=view)
        )
        if opened.value is None:
            text = render("texts/open_failed.j2", error=opened.error)
            context["followups"].reply(
                "form not opened", lambda: notices.ephemeral(channel, actor.user_id, text)
            )
        return
    decided = amendments.accept(session, actor=actor, amendment_id=ref.am)
    after_decision(context["followups"], decided, changes, cards, notices, actor.user_id, channel)


def submit_accept(
    ack: Ack,
    view: dict[str, Any],
    context: BoltContext,
    *,
    changes: TextChanges,
    cards: CardUpdates,
    notices: Notices,
) -> None:
    """Accept it, the newer text seen (the version the form showed)."""
    ref = AmendmentRef.parse(view.get("private_metadata"))
    actor = context["actor"]
    try:
        decided = amendments.accept(
            context["session"], actor=actor, amendment_id=ref.am, seen_version=ref.seen
        )
    except DomainError as error:
        context["followups"].failed = True
        ack(response_action="update", view=_refusal_view(error))
        return
    ack()
    after_decision(
        context["followups"], decided, changes, cards, notices, actor.user_id, ref.channel_id
    )


def on_reject(
    ack: Ack,
    body: dict[str, Any],
    action: dict[str, Any],
    context: BoltContext,
    *,
    slack: Outbound,
    notices: Notices,
) -> None:
    """`Reject`: the form asking for an optional reason, or why the person may not."""
    ack()
    ref = AmendmentRef.parse(action.get("value"))
    channel = _channel(body)
    actor = context["actor"]

    def build() -> dict[str, Any]:
        found = amendments.pending(
            context["session"], actor=actor, amendment_id=ref.am, action="reject"
        )
        return reject_modal(found.amendment, channel_id=channel)

    open_form(
        context,
        trigger_id=str(body.get("trigger_id") or ""),
        user_id=actor.user_id,
        channel_id=channel,
        slack=slack,
        notices=notices,
        callback=Callback.REJECT_MODAL,
        section_key="amendment",
        build=build,
    )


def submit_reject(
    ack: Ack,
    view: dict[str, Any],
    context: BoltContext,
    *,
    changes: TextChanges,
    cards: CardUpdates,
    notices: Notices,
) -> None:
    """Reject it, with the reason given (if any)."""
    ref = AmendmentRef.parse(view.get("private_metadata"))
    actor = context["actor"]
    try:
        decided = amendments.reject(
            context["session"],
            actor=actor,
            amendment_id=ref.am,
            reason=typed(view, Block.REASON, Action.REASON),
        )
    except DomainError as error:
        context["followups"].failed = True
        ack(**field_errors(error, Block.REASON))
        return
    ack()
    after_decision(
        context["followups"], decided, changes, cards, notices, actor.user_id, ref.channel_id
    )


def after_decision(
    followups: Followups,
    decided: Decided,
    changes: TextChanges,
    cards: CardUpdates,
    notices: Notices,
    user_id: str,
    origin: str | None,
) -> None:
    """After the commit: the thread message, the card (a new version), the voters, the
    person who decided."""
    amendment = decided.amendment
    if decided.changed:
        followups.on_commit("card update", lambda: cards.refresh(decided.recommendation_id))

    def tell() -> None:
        changes.show_decision(amendment, version=decided.version if decided.changed else None)
        told = changes.tell_voters(
            amendment.channel_id,
            decided.voters,
            "edit/voter_notice.j2",
            number=amendment.recommendation_number,
            amendment=amendment.number,
        )
        text = render(
            "amendment/decided.j2",
            state=amendment.state.value,
            number=amendment.number,
            recommendation=amendment.recommendation_number,
            version=decided.version if decided.changed else None,
            told=told,
        )
        notices.ephemeral(origin or amendment.channel_id, user_id, text)

    followups.on_commit("amendment decided", tell)


def _refusal_view(error: DomainError) -> dict[str, Any]:
    return refused(Callback.ACCEPT_MODAL, "amendment", message_for(error))


def _block_of(error: DomainError) -> Block:
    if isinstance(error, InvalidInput) and error.field == "reason":
        return Block.REASON
    return Block.TEXT


def _channel(body: dict[str, Any]) -> str | None:
    channel = body.get("channel")
    value = channel.get("id") if isinstance(channel, dict) else None
    return value if isinstance(value, str) else None


def register(
    app: Any, *, slack: Outbound, changes: TextChanges, cards: CardUpdates, notices: Notices
) -> None:
    """Register the amendment form's submission, the Accept / Reject buttons and their forms."""
    decided = {"changes": changes, "cards": cards, "notices": notices}
    app.view(Callback.AMEND_MODAL)(partial(submit_amend, changes=changes))
    app.action(Action.ACCEPT_AMENDMENT)(partial(on_accept, slack=slack, **decided))
    app.action(Action.REJECT_AMENDMENT)(partial(on_reject, slack=slack, notices=notices))
    app.view(Callback.ACCEPT_MODAL)(partial(submit_accept, **decided))
    app.view(Callback.REJECT_MODAL)(partial(submit_reject, **decided))
