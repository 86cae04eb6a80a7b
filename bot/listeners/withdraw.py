"""`Withdraw` in a card's menu (a confirmation first) and `/wg restore EE-3`.

The author, the group's rapporteur or an organizer withdraws a recommendation: its card says
`Withdrawn by <name>` and loses its buttons, its votes no longer count, its amendments
awaiting a decision are withdrawn (their thread messages say so). An organizer restores one
(withdrawn or merged) from any channel.
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import partial
from typing import Any

from slack_bolt import Ack, BoltContext

from bot.delivery.cards import CardUpdates
from bot.delivery.notices import Notices
from bot.delivery.text_changes import TextChanges
from bot.listeners.card_menu import MenuClick
from bot.listeners.text_forms import open_from_menu
from bot.runtime.errors import message_for
from bot.slack.ids import Callback
from bot.slack.outbound import Outbound
from bot.slack.values import TextForm
from bot.ui.render import render
from bot.ui.text_forms import refused, withdraw_modal
from storage import revisions
from storage.amendment_views import Closed
from storage.errors import DomainError


def open_withdraw(click: MenuClick, *, slack: Outbound, notices: Notices) -> None:
    """`Withdraw`: the confirmation `Withdraw EE-3?`, or why the person may not."""
    open_from_menu(
        click,
        slack=slack,
        notices=notices,
        callback=Callback.WITHDRAW_MODAL,
        section_key="withdraw",
        read=revisions.withdrawable,
        draw=lambda number, click: withdraw_modal(
            click.recommendation_id, number, channel_id=click.channel_id
        ),
    )


def submit(
    ack: Ack,
    view: dict[str, Any],
    context: BoltContext,
    *,
    changes: TextChanges,
    cards: CardUpdates,
) -> None:
    """Withdraw it (confirmed); a refusal is shown in the form."""
    form = TextForm.parse(view.get("private_metadata"))
    try:
        changed = revisions.withdraw(
            context["session"], actor=context["actor"], recommendation_id=form.rec
        )
    except DomainError as error:
        context["followups"].failed = True
        refusal = refused(Callback.WITHDRAW_MODAL, "withdraw", message_for(error))
        ack(response_action="update", view=refusal)
        return
    ack()
    followups = context["followups"]
    followups.on_commit("card update", lambda: cards.refresh(changed.recommendation_id))
    followups.on_commit("amendments closed", lambda: close_messages(changes, changed.closed))


def restore(
    ctx: BoltContext, command: dict[str, Any], args: list[str], *, cards: CardUpdates
) -> str:
    """`/wg restore EE-3` (organizers): a withdrawn or merged recommendation is open again."""
    if len(args) != 1:
        return render("withdraw/restore_usage.j2")
    changed = revisions.restore(ctx["session"], actor=ctx["actor"], number=args[0])
    for rec_id in (changed.recommendation_id, *changed.others):
        ctx["followups"].on_commit("card update", lambda rec_id=rec_id: cards.refresh(rec_id))
    return render("withdraw/restored.j2", number=changed.number)


def close_messages(
    changes: TextChanges, closed: Iterable[Closed], because: str = "withdrawn"
) -> None:
    """Each amendment withdrawn with its recommendation (`because` it was withdrawn or
    merged): its buttons replaced by why."""
    for amendment in closed:
        changes.show_decision(amendment, because=because)


def register(app: Any, *, changes: TextChanges, cards: CardUpdates) -> None:
    """Register the withdrawal's confirmation (it is opened from the card's menu)."""
    app.view(Callback.WITHDRAW_MODAL)(partial(submit, changes=changes, cards=cards))
