"""`Edit…` in a card's menu: the author's submission form, prefilled, and its submission.

Saving stores a new version (storage.revisions.edit); after the commit the card shows
`Edited · v2` and each earlier voter (by delegation: each delegation's latest voter) is told
privately that their vote stands. The same title, text and rationale again change nothing.
"""

from __future__ import annotations

from functools import partial
from typing import Any

from slack_bolt import Ack, BoltContext

from bot.delivery.cards import CardUpdates
from bot.delivery.notices import Notices
from bot.delivery.text_changes import TextChanges
from bot.listeners.card_menu import MenuClick
from bot.listeners.text_forms import field_errors, open_from_menu
from bot.runtime.errors import message_for
from bot.slack.ids import Action, Block, Callback
from bot.slack.outbound import Outbound
from bot.slack.values import TextForm
from bot.ui.render import render
from bot.ui.text_forms import edit_modal, typed
from storage import revisions
from storage.errors import DomainError, InvalidInput
from storage.recommendations import Draft, problems

FIELD_BLOCKS = {"text": Block.TEXT, "title": Block.TITLE, "rationale": Block.RATIONALE}


def open_edit(click: MenuClick, *, slack: Outbound, notices: Notices) -> None:
    """`Edit…`: the form for the author, prefilled; anyone else is told why not."""
    open_from_menu(
        click,
        slack=slack,
        notices=notices,
        callback=Callback.EDIT_MODAL,
        section_key="edit",
        read=revisions.edit_form,
        draw=lambda form, click: edit_modal(form, channel_id=click.channel_id),
    )


def submit(
    ack: Ack,
    view: dict[str, Any],
    context: BoltContext,
    *,
    changes: TextChanges,
    cards: CardUpdates,
    notices: Notices,
) -> None:
    """Store the edit as a new version (bad fields answered under each, as `/recommend`
    does; refusals under the text); then the card, the voters and the author are told."""
    actor, followups = context["actor"], context["followups"]
    form = TextForm.parse(view.get("private_metadata"))
    text = typed(view, Block.TEXT, Action.TEXT)
    title = typed(view, Block.TITLE, Action.TITLE)
    rationale = typed(view, Block.RATIONALE, Action.RATIONALE)
    found = [p for p in problems(Draft("unused", text, title, rationale)) if p.field != "group"]
    if found:
        errors = {FIELD_BLOCKS.get(p.field, Block.TEXT): message_for(p) for p in found}
        ack(response_action="errors", errors=errors)
        return
    try:
        changed = revisions.edit(
            context["session"],
            actor=actor,
            recommendation_id=form.rec,
            base_version=form.version or 0,
            text=text,
            title=title,
            rationale=rationale,
        )
    except DomainError as error:
        followups.failed = True  # roll back whatever the operation did before refusing
        block = (
            FIELD_BLOCKS.get(error.field, Block.TEXT)
            if isinstance(error, InvalidInput)
            else Block.TEXT
        )
        ack(**field_errors(error, block))
        return
    ack()
    origin = form.channel_id or changed.channel_id
    if not changed.changed:
        told = render("edit/unchanged.j2", number=changed.number, version=changed.version)
        followups.reply("edit unchanged", lambda: notices.ephemeral(origin, actor.user_id, told))
        return

    def after() -> None:
        count = changes.tell_voters(
            changed.channel_id,
            changed.voters,
            "edit/voter_notice.j2",
            number=changed.number,
            amendment=None,
        )
        saved = render("edit/saved.j2", number=changed.number, version=changed.version, told=count)
        notices.ephemeral(origin, actor.user_id, saved)

    followups.on_commit("card update", lambda: cards.refresh(changed.recommendation_id))
    followups.on_commit("edit notices", after)


def register(app: Any, *, changes: TextChanges, cards: CardUpdates, notices: Notices) -> None:
    """Register the edit form's submission (it is opened from the card's menu)."""
    app.view(Callback.EDIT_MODAL)(partial(submit, changes=changes, cards=cards, notices=notices))
