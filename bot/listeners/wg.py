"""`/wg`: linking channels, appointing rapporteurs, delegations, closing, status, help."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from functools import partial
from typing import Any

from slack_bolt import Ack, BoltContext

from bot.delivery.cards import CardUpdates
from bot.delivery.compile import Compiles
from bot.delivery.deadlines import DeadlineRules
from bot.delivery.exports import Exports
from bot.delivery.homes import Homes
from bot.delivery.notices import Notices
from bot.delivery.text_changes import TextChanges
from bot.listeners import board as board_listener
from bot.listeners import compile as compile_listener
from bot.listeners import deadline as deadline_listener
from bot.listeners import merge as merge_listener
from bot.listeners import procedure as procedure_listener
from bot.listeners import roster as roster_listener
from bot.listeners import tallies as tallies_listener
from bot.listeners import withdraw as withdraw_listener
from bot.runtime.channel_hints import ChannelGroups
from bot.runtime.errors import shown_input
from bot.slack.ids import Command
from bot.slack.parse import parse_mention
from bot.ui.render import render
from storage import groups, people
from storage.cards import group_card_ids
from storage.countries import country_name
from storage.groups import SEED_GROUPS

Handler = Callable[[BoltContext, dict[str, Any], list[str]], str]
RefreshName = Callable[[str], None]
GROUP_KEYS = [key for key, _, _ in SEED_GROUPS]
NO_ARGUMENTS = frozenset({"close", "reopen", "status", "help"})
# Sub-commands whose change concerns the Homes of a group's people (bot.delivery.homes).
HOME_CHANGES = ("close", "reopen", "procedure", "deadline", "tallies", "ballots")


def link(
    ctx: BoltContext, command: dict[str, Any], args: list[str], *, hints: ChannelGroups
) -> str:
    """`/wg link KEY`: link this channel to a group (organizers)."""
    if len(args) != 1:
        return _usage("link")
    group = groups.link_channel(
        ctx["session"], actor=ctx["actor"], channel_id=command["channel_id"], group_key=args[0]
    )
    channel_id, key = command["channel_id"], group.key
    ctx["followups"].on_commit("form hint", lambda: hints.saw(channel_id, key))
    return render("wg/linked.j2", group=group.name, key=group.key)


def rapporteur(
    ctx: BoltContext, command: dict[str, Any], args: list[str], *, names: RefreshName
) -> str:
    """`/wg rapporteur @person`: appoint the channel's group's rapporteur (organizers)."""
    mention = parse_mention(" ".join(args)) if args else None
    if mention is None:
        return _usage("rapporteur")
    user_id, name = mention
    group = groups.appoint_rapporteur(
        ctx["session"],
        actor=ctx["actor"],
        channel_id=command["channel_id"],
        user_id=user_id,
        user_name=name,
    )
    ctx["followups"].on_commit("name", lambda: names(user_id))
    return render("wg/appointed.j2", user_id=user_id, group=group.name)


def country(
    ctx: BoltContext, command: dict[str, Any], args: list[str], *, names: RefreshName
) -> str:
    """`/wg country CODE`: the person's delegation."""
    if len(args) != 1:
        return _usage("country")
    person = people.set_country(ctx["session"], actor=ctx["actor"], code=args[0])
    code = person.country_code or ""
    user_id = person.user_id
    ctx["followups"].on_commit("name", lambda: names(user_id))
    return render("wg/country.j2", country=country_name(code), code=code)


def set_open(
    ctx: BoltContext,
    command: dict[str, Any],
    args: list[str],
    *,
    is_open: bool,
    cards: CardUpdates,
) -> str:
    """`/wg close` and `/wg reopen`: the group's voting state, shown on each of its cards."""
    session = ctx["session"]
    group, changed = groups.set_open(
        session, actor=ctx["actor"], channel_id=command["channel_id"], is_open=is_open
    )
    if changed:
        for rec_id in group_card_ids(session, group.key):
            ctx["followups"].on_commit("card refresh", lambda rec_id=rec_id: cards.refresh(rec_id))
    template = "wg/reopened.j2" if is_open else "wg/closed.j2"
    return render(template, group=group.name, changed=changed)


def status(ctx: BoltContext, command: dict[str, Any], args: list[str]) -> str:
    """`/wg status`: every group's state."""
    return render("wg/status.j2", groups=groups.status(ctx["session"]))


def help_(ctx: BoltContext, command: dict[str, Any], args: list[str]) -> str:
    """`/wg help`."""
    return render("wg/help.j2", keys=GROUP_KEYS)


def wg(
    ack: Ack, command: dict[str, Any], context: BoltContext, *, handlers: Mapping[str, Handler]
) -> None:
    """Route `/wg SUB …` to its handler and answer privately with what it returns."""
    words = (command.get("text") or "").split()
    sub = words[0].lower() if words else "help"
    handler = handlers.get(sub)
    if handler is None:
        ack(response_type="ephemeral", text=render("wg/usage.j2", sub=shown_input(sub), hint=""))
        return
    if sub in NO_ARGUMENTS and len(words) > 1:
        ack(response_type="ephemeral", text=_usage(sub))
        return
    ack(response_type="ephemeral", text=handler(context, command, words[1:]))


def register(
    app: Any,
    *,
    hints: ChannelGroups,
    cards: CardUpdates,
    names: RefreshName,
    compiles: Compiles,
    deadline_rules: DeadlineRules,
    tell_channel: deadline_listener.TellChannel,
    public_url: str | None = None,
    homes: Homes | None = None,
    changes: TextChanges | None = None,
    notices: Notices | None = None,
) -> None:
    """Register the /wg command."""
    handlers: dict[str, Handler] = {
        "link": partial(link, hints=hints),
        "rapporteur": partial(rapporteur, names=names),
        "country": partial(country, names=names),
        "seat": partial(roster_listener.seat, names=names),
        "roster": roster_listener.roster,
        "close": partial(set_open, is_open=False, cards=cards),
        "reopen": partial(set_open, is_open=True, cards=cards),
        "procedure": partial(procedure_listener.procedure, cards=cards),
        "status": status,
        "help": help_,
        "compile": partial(compile_listener.start, compiles=compiles),
        "board": partial(board_listener.board, public_url=public_url),
        "deadline": partial(
            deadline_listener.deadline, cards=cards, tell=tell_channel, rules=deadline_rules
        ),
        # What tallies show, who sees whose vote, the CSV export (bot.listeners.tallies).
        "tallies": partial(tallies_listener.tallies, cards=cards),
        "ballots": partial(tallies_listener.ballots, cards=cards),
        "voters": tallies_listener.voters,
        "export": partial(
            tallies_listener.export,
            exports=Exports(
                compiles.session_factory,
                compiles.upload,
                compiles.notices,
                rule=compiles.options.rule,
                zone=deadline_rules.zone,
            ),
        ),
    }
    if changes is not None and notices is not None:  # texts that evolve: bot.listeners.merge
        handlers["merge"] = partial(
            merge_listener.merge_command, changes=changes, cards=cards, notices=notices
        )
        handlers["restore"] = partial(withdraw_listener.restore, cards=cards)
    if homes is not None:  # a change of a group's state reaches the Homes it concerns
        for sub in HOME_CHANGES:
            handlers[sub] = partial(_then_homes, handlers[sub], homes)
    app.command(Command.WG)(partial(wg, handlers=handlers))


def _then_homes(
    handler: Handler, homes: Homes, ctx: BoltContext, command: dict[str, Any], args: list[str]
) -> str:
    """Run the handler; once its change is committed, refresh the channel's group's Homes."""
    text = handler(ctx, command, args)
    channel_id = command["channel_id"]
    ctx["followups"].on_commit("homes", lambda: homes.touch_channel(channel_id))
    return text


def _usage(sub: str) -> str:
    return render("wg/usage_arg.j2", sub=sub, keys=GROUP_KEYS)
