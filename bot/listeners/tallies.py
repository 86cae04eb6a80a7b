"""`/wg tallies live|hidden`, `/wg ballots named|secret`, `/wg voters` and `/wg export [all]`:
what a group's tallies show, who may see whose vote, and the CSV export."""

from __future__ import annotations

from typing import Any

from slack_bolt import BoltContext

from bot.delivery.cards import CardUpdates
from bot.delivery.exports import Exports
from bot.ui.render import render
from bot.ui.voters import voters_text
from storage import group_settings
from storage.actors import Actor
from storage.cards import group_card_ids
from storage.exports import authorize
from storage.groups import group_by_key, group_for_channel
from storage.models import Group
from storage.rules import procedure_of
from storage.visibility import Ballots, Tallies, of_group


def tallies(
    ctx: BoltContext, command: dict[str, Any], args: list[str], *, cards: CardUpdates
) -> str:
    """`/wg tallies live|hidden` (its rapporteur or an organizer); its cards are re-rendered."""
    session = ctx["session"]
    wanted = args[0].lower() if len(args) == 1 else None
    if wanted not in {t.value for t in Tallies}:
        return render("wg/tallies_usage.j2", **_now(ctx, command))
    group, changed = group_settings.set_tallies(
        session, actor=ctx["actor"], channel_id=command["channel_id"], tallies=Tallies(wanted)
    )
    if changed:
        _refresh_cards(ctx, group, cards)
    procedure = procedure_of(session, group.procedure).value
    return render(
        "wg/tallies.j2", group=group.name, tallies=wanted, changed=changed, procedure=procedure
    )


def ballots(
    ctx: BoltContext, command: dict[str, Any], args: list[str], *, cards: CardUpdates
) -> str:
    """`/wg ballots named|secret` (its rapporteur or an organizer); its cards say so."""
    session = ctx["session"]
    wanted = args[0].lower() if len(args) == 1 else None
    if wanted not in {b.value for b in Ballots}:
        return render("wg/ballots_usage.j2", **_now(ctx, command))
    group, changed = group_settings.set_ballots(
        session, actor=ctx["actor"], channel_id=command["channel_id"], ballots=Ballots(wanted)
    )
    if changed:
        _refresh_cards(ctx, group, cards)
    return render("wg/ballots.j2", group=group.name, ballots=wanted, changed=changed)


def voters(ctx: BoltContext, command: dict[str, Any], args: list[str]) -> str:
    """`/wg voters`: who has voted on each recommendation of the group, never how."""
    if args:
        return render("wg/usage_arg.j2", sub="voters", keys=[])
    group, voted = group_settings.voters(
        ctx["session"], actor=ctx["actor"], channel_id=command["channel_id"]
    )
    return voters_text(group.name, of_group(ctx["session"], group).secret, voted)


def export(ctx: BoltContext, command: dict[str, Any], args: list[str], *, exports: Exports) -> str:
    """`/wg export` (the channel's group) or `/wg export all` (organizers): a CSV uploaded
    to the channel after the commit."""
    whole = len(args) == 1 and args[0].lower() == "all"
    if args and not whole:
        return render("wg/usage_arg.j2", sub="export", keys=[])
    channel_id = command["channel_id"]
    actor: Actor = ctx["actor"]
    group_key = authorize(ctx["session"], actor=actor, channel_id=channel_id, whole_workshop=whole)
    ctx["followups"].on_commit("export", lambda: exports.run(actor, channel_id, group_key))
    name = group_by_key(ctx["session"], group_key).name if group_key else None
    return render("export/started.j2", group=name)


def _refresh_cards(ctx: BoltContext, group: Group, cards: CardUpdates) -> None:
    for rec_id in group_card_ids(ctx["session"], group.key):
        ctx["followups"].on_commit("card refresh", lambda rec_id=rec_id: cards.refresh(rec_id))


def _now(ctx: BoltContext, command: dict[str, Any]) -> dict[str, Any]:
    """The channel's group and its settings now, for a usage message."""
    group = group_for_channel(ctx["session"], command["channel_id"])
    if group is None:
        return {"group": None, "tallies": None, "ballots": None}
    shown = of_group(ctx["session"], group)
    return {"group": group.name, "tallies": shown.tallies.value, "ballots": shown.ballots.value}
