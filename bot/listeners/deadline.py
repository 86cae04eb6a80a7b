"""`/wg deadline …`: when voting in the channel's group closes by itself, or `clear`."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from slack_bolt import BoltContext

from bot.delivery.cards import CardUpdates
from bot.delivery.deadlines import DeadlineRules
from bot.runtime.errors import shown_input
from bot.ui import deadline as wording
from bot.ui.render import render
from storage import deadlines
from storage.cards import group_card_ids
from storage.deadlines import BadDeadline, DeadlineChange

TellChannel = Callable[[str, str], bool]  # (channel_id, text): a message in the channel


def deadline(
    ctx: BoltContext,
    command: dict[str, Any],
    args: list[str],
    *,
    cards: CardUpdates,
    tell: TellChannel,
    rules: DeadlineRules,
) -> str:
    """`/wg deadline WHEN` or `/wg deadline clear` (the group's rapporteur or an organizer).

    The channel is told after the commit and the group's cards re-rendered; a deadline
    that cannot be set is refused with an example of the right form.
    """
    now = rules.clock()
    if not args:
        return render("deadline/usage.j2", **_examples(now, rules.zone))
    session, text = ctx["session"], " ".join(args)
    try:
        if text.lower() == "clear":
            change = deadlines.clear_deadline(
                session, actor=ctx["actor"], channel_id=command["channel_id"]
            )
        else:
            change = deadlines.set_deadline(
                session,
                actor=ctx["actor"],
                channel_id=command["channel_id"],
                text=text,
                now=now,
                zone=rules.zone,
                remind_before=rules.remind_before,
            )
    except BadDeadline as refused:
        return render(
            "deadline/refused.j2",
            problem=refused.params["problem"],
            text=shown_input(text),
            group=refused.params.get("group", ""),
            **_examples(now, rules.zone),
        )
    if change.changed:
        for rec_id in group_card_ids(session, change.group_key):
            ctx["followups"].on_commit("card refresh", lambda rec_id=rec_id: cards.refresh(rec_id))
        if change.channel_id:
            channel, notice = change.channel_id, _notice(change, now)
            ctx["followups"].on_commit("deadline notice", lambda: tell(channel, notice))
    if change.deadline_at is None:
        return render("deadline/clear_reply.j2", group=change.group_name, changed=change.changed)
    minutes = round(rules.remind_before / timedelta(minutes=1))
    return render(
        "deadline/set.j2",
        group=change.group_name,
        remind_minutes=minutes if change.remind_at else 0,
        remind_now=change.remind_at is not None and change.remind_at <= now,
        **wording.when(change.deadline_at, change.zone or rules.zone, now),
        **wording.left(change.deadline_at, now),
    )


def _notice(change: DeadlineChange, now: datetime) -> str:
    if change.deadline_at is None:
        return render("deadline/cleared.j2", group=change.group_name)
    return wording.announcement(change.group_name, change.deadline_at, change.zone or "UTC", now)


def _examples(now: datetime, zone: str) -> dict[str, str]:
    """A sensible example: the next full hour in the workshop's zone, and its day."""
    local = now.astimezone(ZoneInfo(zone)) + timedelta(hours=1)
    return {
        "example_time": local.strftime("%H:00"),
        "example_day": local.date().isoformat(),
        "zone": zone,
    }
