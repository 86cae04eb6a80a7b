"""`/wg`: linking channels, appointing rapporteurs, delegations, closing, status, help."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from slack_bolt import Ack, BoltContext

from bot.delivery import compile as compiling
from bot.delivery.cards import refresh_card
from bot.delivery.names import refresh_name
from bot.runtime.errors import shown_input
from bot.runtime.services import Services
from bot.slack.ids import Command
from bot.slack.parse import parse_mention
from bot.ui.render import render
from storage import groups, people
from storage.cards import group_card_ids
from storage.countries import country_name
from storage.groups import SEED_GROUPS

Handler = Callable[[BoltContext, dict[str, Any], list[str]], str]
GROUP_KEYS = [key for key, _, _ in SEED_GROUPS]
NO_ARGUMENTS = frozenset({"close", "reopen", "status", "help"})


def register(app: Any, services: Services) -> None:
    """Register the /wg command."""

    def link(ctx: BoltContext, command: dict[str, Any], args: list[str]) -> str:
        if len(args) != 1:
            return _usage("link")
        group = groups.link_channel(
            ctx["session"], actor=ctx["actor"], channel_id=command["channel_id"], group_key=args[0]
        )
        channel_id, key = command["channel_id"], group.key
        ctx["outbox"].on_commit("form hint", lambda: services.channel_groups.saw(channel_id, key))
        return render("wg/linked.j2", group=group.name, key=group.key)

    def rapporteur(ctx: BoltContext, command: dict[str, Any], args: list[str]) -> str:
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
        ctx["outbox"].on_commit("name", lambda: refresh_name(services, user_id))
        return render("wg/appointed.j2", user_id=user_id, group=group.name)

    def country(ctx: BoltContext, command: dict[str, Any], args: list[str]) -> str:
        if len(args) != 1:
            return _usage("country")
        person = people.set_country(ctx["session"], actor=ctx["actor"], code=args[0])
        code = person.country_code or ""
        user_id = person.user_id
        ctx["outbox"].on_commit("name", lambda: refresh_name(services, user_id))
        return render("wg/country.j2", country=country_name(code), code=code)

    def close(ctx: BoltContext, command: dict[str, Any], args: list[str]) -> str:
        group, changed = groups.set_open(
            ctx["session"], actor=ctx["actor"], channel_id=command["channel_id"], is_open=False
        )
        if changed:
            _refresh_group_cards(ctx, services, group.key)
        return render("wg/closed.j2", group=group.name, changed=changed)

    def reopen(ctx: BoltContext, command: dict[str, Any], args: list[str]) -> str:
        group, changed = groups.set_open(
            ctx["session"], actor=ctx["actor"], channel_id=command["channel_id"], is_open=True
        )
        if changed:
            _refresh_group_cards(ctx, services, group.key)
        return render("wg/reopened.j2", group=group.name, changed=changed)

    def status(ctx: BoltContext, command: dict[str, Any], args: list[str]) -> str:
        return render("wg/status.j2", groups=groups.status(ctx["session"]))

    def help_(ctx: BoltContext, command: dict[str, Any], args: list[str]) -> str:
        return render("wg/help.j2", keys=GROUP_KEYS)

    def compile_(ctx: BoltContext, command: dict[str, Any], args: list[str]) -> str:
        return compiling.start(ctx, services, command, args)

    handlers: dict[str, Handler] = {
        "link": link,
        "rapporteur": rapporteur,
        "country": country,
        "close": close,
        "reopen": reopen,
        "status": status,
        "help": help_,
        "compile": compile_,
    }

    @app.command(Command.WG)
    def wg(ack: Ack, command: dict[str, Any], context: BoltContext) -> None:
        words = (command.get("text") or "").split()
        sub = words[0].lower() if words else "help"
        handler = handlers.get(sub)
        if handler is None:
            text = render("wg/usage.j2", sub=shown_input(sub), hint="")
            ack(response_type="ephemeral", text=text)
            return
        if sub in NO_ARGUMENTS and len(words) > 1:
            ack(response_type="ephemeral", text=_usage(sub))
            return
        ack(response_type="ephemeral", text=handler(context, command, words[1:]))


def _usage(sub: str) -> str:
    return render("wg/usage_arg.j2", sub=sub, keys=GROUP_KEYS)


def _refresh_group_cards(ctx: BoltContext, services: Services, group_key: str) -> None:
    """After commit, show the group's new state on each of its cards."""
    for rec_id in group_card_ids(ctx["session"], group_key):
        ctx["outbox"].on_commit(
            "card refresh", lambda rec_id=rec_id: refresh_card(services, rec_id)
        )
