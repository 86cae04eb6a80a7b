"""`/wg procedure vote|delegation|consensus`: how the channel's group decides."""

from __future__ import annotations

from typing import Any

from slack_bolt import BoltContext

from bot.delivery.cards import CardUpdates
from bot.ui.render import render
from storage import groups
from storage.cards import group_card_ids
from storage.models import Procedure
from storage.rules import procedure_of

PROCEDURES = [p.value for p in Procedure]


def procedure(
    ctx: BoltContext, command: dict[str, Any], args: list[str], *, cards: CardUpdates
) -> str:
    """Set the group's procedure (its rapporteur or an organizer); its cards are re-rendered.

    Without a valid procedure: the usage, and the group's procedure now.
    """
    session = ctx["session"]
    wanted = args[0].lower() if len(args) == 1 else None
    if wanted not in PROCEDURES:
        group = groups.group_for_channel(session, command["channel_id"])
        current = procedure_of(session, group.procedure) if group is not None else None
        return render(
            "wg/procedure_usage.j2",
            group=group.name if group is not None else None,
            procedure=current and current.value,
        )
    group, changed = groups.set_procedure(
        session, actor=ctx["actor"], channel_id=command["channel_id"], procedure=Procedure(wanted)
    )
    if changed:
        for rec_id in group_card_ids(session, group.key):
            ctx["followups"].on_commit("card refresh", lambda rec_id=rec_id: cards.refresh(rec_id))
    return render("wg/procedure.j2", group=group.name, procedure=wanted, changed=changed)
