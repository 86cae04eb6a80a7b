"""`Merge into…` in a card's menu, and `/wg merge EE-5 into EE-2` in the group's channel.

The group's rapporteur or an organizer merges one recommendation into another open one of
its group: the merged card says `Merged into EE-2` and loses its buttons, `EE-2`'s card says
`Also covers EE-5`, and whoever had voted on the merged one is told privately.
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
from bot.listeners.withdraw import close_messages
from bot.runtime.followups import Followups
from bot.slack.ids import Block, Callback
from bot.slack.outbound import Outbound
from bot.slack.values import TextForm
from bot.ui.render import render
from bot.ui.text_forms import chosen_target, merge_modal
from storage import merges
from storage.errors import DomainError, NotFound
from storage.merges import Merged

INTO = "into"


def open_merge(click: MenuClick, *, slack: Outbound, notices: Notices) -> None:
    """`Merge into…`: the group's other open recommendations to choose from, or why not."""
    open_from_menu(
        click,
        slack=slack,
        notices=notices,
        callback=Callback.MERGE_MODAL,
        section_key="merge",
        read=merges.merge_form,
        draw=lambda form, click: merge_modal(form, channel_id=click.channel_id),
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
    """Merge into the chosen recommendation; a refusal is answered under the choice."""
    form = TextForm.parse(view.get("private_metadata"))
    try:
        target = chosen_target(view)
        if target is None:
            raise NotFound(what="recommendation")
        merged = merges.merge(
            context["session"], actor=context["actor"], source_id=form.rec, target_id=target
        )
    except DomainError as error:
        context["followups"].failed = True
        ack(**field_errors(error, Block.MERGE_TARGET))
        return
    ack()
    user_id = context["actor"].user_id
    after_merge(context["followups"], merged, changes, cards, notices, user_id, form.channel_id)


def merge_command(
    ctx: BoltContext,
    command: dict[str, Any],
    args: list[str],
    *,
    changes: TextChanges,
    cards: CardUpdates,
    notices: Notices,
) -> str:
    """`/wg merge EE-5 into EE-2` (the group's rapporteur or an organizer, in its channel)."""
    if len(args) != 3 or args[1].lower() != INTO:
        return render("merge/usage.j2")
    merged = merges.merge_numbers(
        ctx["session"],
        actor=ctx["actor"],
        channel_id=command.get("channel_id") or "",
        source=args[0],
        target=args[2],
    )
    after_merge(ctx["followups"], merged, changes, cards, notices, None, None)
    return render(
        "merge/done.j2",
        number=merged.source_number,
        target=merged.target_number,
        told=len(merged.voters),
    )


def after_merge(
    followups: Followups,
    merged: Merged,
    changes: TextChanges,
    cards: CardUpdates,
    notices: Notices,
    user_id: str | None,
    origin: str | None,
) -> None:
    """After the commit: both cards (and any it covered), its voters, its amendments' thread
    messages, and the person who merged from the form."""
    for rec_id in (merged.source_id, merged.target_id, *merged.moved):
        followups.on_commit("card update", lambda rec_id=rec_id: cards.refresh(rec_id))

    def tell() -> None:
        told = changes.tell_voters(
            merged.channel_id,
            merged.voters,
            "merge/voter_notice.j2",
            number=merged.source_number,
            target=merged.target_number,
        )
        close_messages(changes, merged.closed, "merged")
        if user_id is not None:
            text = render(
                "merge/done.j2",
                number=merged.source_number,
                target=merged.target_number,
                told=told,
            )
            notices.ephemeral(origin or merged.channel_id, user_id, text)

    followups.on_commit("merge notices", tell)


def register(app: Any, *, changes: TextChanges, cards: CardUpdates, notices: Notices) -> None:
    """Register the merge form's submission (it is opened from the card's menu)."""
    app.view(Callback.MERGE_MODAL)(partial(submit, changes=changes, cards=cards, notices=notices))
