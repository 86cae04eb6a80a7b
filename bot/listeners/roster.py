"""`/wg seat` and `/wg roster`: the participant list in Slack (routed by bot.listeners.wg)."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from slack_bolt import BoltContext

from bot.runtime.errors import shown_input
from bot.slack.parse import decode_slack_text, parse_mention
from bot.ui.render import render
from bot.ui.roster import roster_text
from storage import groups, participants
from storage.countries import country_name, delegation_code
from storage.errors import InvalidInput
from storage.groups import SEED_GROUPS
from storage.roster import DELEGATION_MAX

RefreshName = Callable[[str], None]
# A mention may carry a name with spaces: `<@U123|Somchai Prasert> TH`.
MENTION_FIRST = re.compile(r"^\s*(<@[^>]*>)\s*(.*)$", re.DOTALL)
OBSERVER = "observer"


def seat(ctx: BoltContext, command: dict[str, Any], args: list[str], *, names: RefreshName) -> str:
    """`/wg seat @person CODE` or `/wg seat @person observer ORGANISATION` (organizers)."""
    found = MENTION_FIRST.match(" ".join(args))
    mention = parse_mention(found.group(1)) if found else None
    words = found.group(2).split() if found else []
    if mention is None or not words:
        return _usage("seat")
    user_id, user_name = mention
    observer = words[0].lower() == OBSERVER
    if observer:
        delegation = " ".join(decode_slack_text(" ".join(words[1:])).split())
        if not delegation:
            return _usage("seat")
        if len(delegation) > DELEGATION_MAX:
            raise InvalidInput(
                "organisation", "too_long", limit=DELEGATION_MAX, length=len(delegation)
            )
    else:
        typed = " ".join(words)
        code = delegation_code(typed)
        if code is None:
            return render("roster/unknown_code.j2", code=shown_input(typed))
        delegation = code
    participant = participants.seat(
        ctx["session"],
        actor=ctx["actor"],
        user_id=user_id,
        user_name=user_name,
        delegation=delegation,
        observer=observer,
    )
    # Their name and email from Slack: a list imported later then matches them at once.
    ctx["followups"].on_commit("name", lambda: names(user_id))
    return render(
        "roster/seated.j2",
        user_id=user_id,
        observer=observer,
        role=participant.role,
        delegation=delegation if observer else country_name(delegation),
        code=delegation,
    )


def roster(ctx: BoltContext, command: dict[str, Any], args: list[str]) -> str:
    """`/wg roster`: the channel's group's participants (anyone may look)."""
    if args:
        return _usage("roster")
    session = ctx["session"]
    group = groups.require_group_for_channel(session, command["channel_id"])
    return roster_text(group.name, participants.participants(session, group_key=group.key))


def _usage(sub: str) -> str:
    return render("wg/usage_arg.j2", sub=sub, keys=[key for key, _, _ in SEED_GROUPS])
