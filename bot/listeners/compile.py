"""`/wg compile` and `/wg compile all`: acknowledge at once, build and upload after the commit."""

from __future__ import annotations

from typing import Any

from slack_bolt import BoltContext

from bot.delivery.compile import Compiles
from bot.ui.render import render
from storage import compiles as compile_rights
from storage.actors import Actor
from storage.groups import group_by_key


def start(ctx: BoltContext, command: dict[str, Any], args: list[str], *, compiles: Compiles) -> str:
    """Check the role, queue the build, and return the acknowledgement text."""
    whole = bool(args) and args[0].lower() == "all"
    if args and not whole:
        return render("wg/usage_arg.j2", sub="compile", keys=[])
    channel_id = command["channel_id"]
    actor: Actor = ctx["actor"]
    group_key = compile_rights.authorize(
        ctx["session"], actor=actor, channel_id=channel_id, whole_workshop=whole
    )
    request_id = compiles.request(
        ctx["session"], actor=actor, channel_id=channel_id, group_key=group_key
    )
    ctx["followups"].on_commit("compile", lambda: compiles.run(request_id, actor))
    group_name = group_by_key(ctx["session"], group_key).name if group_key else None
    return render("compile/started.j2", group=group_name)
